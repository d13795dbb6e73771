# make-reference.R - reference values for adjusted.csv (issue 17, item 6),
# from R's glm and the cluster-robust formulas, on a generated export.
#
#   Rscript make-reference.R      writes input.csv and reference.csv here
#
# The export: 40 residents (22 F, 18 M), 16 evaluators (9 F, 7 M), 700
# evaluations, each with a PGY and a rotation, 60-200 words of filler and
# hits of "bossy" (category temperament) and "confident" (confidence)
# with resident and evaluator gamma frailty and PGY/rotation effects.
# evalbias audits it with --adjust PGY,Rotation,"Evaluator Gender"; the
# model per comparison and category total is
#   glm(y ~ cohort + covariates + offset(log(words)), poisson)
# on one row per evaluation (evalbias fits the same model on its fine
# cells - aggregation leaves the fit, CR1 and this CR2 unchanged), with
#   CR2  the formula of src/stats_glm.h by hand (u_g = X*_g' (I -
#        H_gg)^-1/2 e*_g), t on Bell-McCaffrey df (>= 2 hits per cluster,
#        else G - 2), the df by full n x n matrices;
#   CR1  sandwich::vcovCL(type = "HC0", cadjust = TRUE), t on G - 1;
#   both CR2 two-way (V_res + V_eval - V_res&eval), t on min(G) - 2;
# clusters: residents for Resident Gender, evaluators for Evaluator Gender.
# The interaction: y ~ rg * evg + pgy + rot, coefficient rgM:evgM (the
# ratio of the M/F resident rate ratio among M evaluators' evaluations to
# that among F evaluators'). Levels without hits are left out of a model
# (their coefficient is minus infinity), as evalbias does.
suppressMessages({library(sandwich)})
set.seed(20261206)
out_dir <- "."
fmt <- function(v) sprintf("%.17g", v)
mpow <- function(A, e) {
  ed <- eigen((A + t(A)) / 2, symmetric = TRUE)
  v <- ifelse(ed$values > 1e-12, ed$values^e, 0)
  ed$vectors %*% (v * t(ed$vectors))
}
meat <- function(X, w, r, cl, M, type) {
  K <- ncol(X); S <- matrix(0, K, K)
  for (g in unique(cl)) {
    i <- which(cl == g)
    Xs <- X[i, , drop = FALSE] * sqrt(w[i])
    es <- r[i] / sqrt(w[i])
    if (type == "CR2") es <- mpow(diag(length(i)) - Xs %*% M %*% t(Xs), -0.5) %*% es
    u <- crossprod(Xs, es)
    S <- S + u %*% t(u)
  }
  list(S = S, G = length(unique(cl)))
}
vc_hand <- function(X, w, r, M, cl1, cl2, type) {
  ways <- if (is.null(cl2)) list(cl1) else list(cl1, cl2, paste(cl1, cl2))
  sg <- if (is.null(cl2)) 1 else c(1, 1, -1)
  V <- 0; G <- c()
  for (k in seq_along(ways)) {
    m <- meat(X, w, r, ways[[k]], M, type)
    f <- if (type == "CR1") m$G / (m$G - 1) else 1
    V <- V + sg[k] * f * M %*% m$S %*% M
    G <- c(G, m$G)
  }
  list(V = V, G = G)
}
bm_df <- function(X, w, cl, M, lc) {
  Xs <- X * sqrt(w); n <- nrow(X)
  IH <- diag(n) - Xs %*% M %*% t(Xs)
  Gm <- NULL
  for (g in unique(cl)) {
    i <- which(cl == g)
    pg <- mpow(IH[i, i, drop = FALSE], -0.5) %*% (Xs[i, , drop = FALSE] %*% lc)
    Gm <- cbind(Gm, IH[, i, drop = FALSE] %*% pg)
  }
  K <- crossprod(Gm)
  sum(diag(K))^2 / sum(K^2)
}

# ---------------------------------------------------------------- data
nres <- 40; nev <- 16; n <- 700
res <- data.frame(id = sprintf("R%02d", 1:nres), g = c(rep("F", 22), rep("M", 18)),
                  fr = rgamma(nres, 3, 3))
ev <- data.frame(id = sprintf("E%02d", 1:nev), g = c(rep("F", 9), rep("M", 7)),
                 fr = rgamma(nev, 4, 4))
ri <- sample(nres, n, replace = TRUE); ei <- sample(nev, n, replace = TRUE)
pgy <- sample(c("PGY1", "PGY2", "PGY3"), n, replace = TRUE)
rot <- sample(c("Clinic", "ICU", "Surgery", "Wards"), n, replace = TRUE)
words <- sample(60:200, n, replace = TRUE)
eff_p <- c(PGY1 = 1, PGY2 = 0.8, PGY3 = 0.6)[pgy]
eff_r <- c(Clinic = 1, ICU = 1.4, Surgery = 1.2, Wards = 0.9)[rot]
base <- words / 1000 * res$fr[ri] * ev$fr[ei] * eff_p * eff_r
y1 <- rpois(n, 12 * base * ifelse(res$g[ri] == "F", 1.4, 1) *
               ifelse(ev$g[ei] == "M", 1.2, 1))
y2 <- rpois(n, 8 * base * ifelse(res$g[ri] == "F", 0.8, 1))
text <- vapply(seq_len(n), function(i) {
  tok <- c(rep("word", words[i] - y1[i] - y2[i]), rep("bossy", y1[i]),
           rep("confident", y2[i]))
  paste(sample(tok), collapse = " ")
}, "")
d <- data.frame(`Evaluation ID` = sprintf("%04d", 1:n), Resident = res$id[ri],
                `Resident Gender` = res$g[ri], Evaluator = ev$id[ei],
                `Evaluator Gender` = ev$g[ei], PGY = pgy, Rotation = rot,
                Comments = text, check.names = FALSE)
write.csv(d, file.path(out_dir, "input.csv"), row.names = FALSE)

# ------------------------------------------------------------ references
dd <- data.frame(res = d$Resident, ev = d$Evaluator,
                 rg = factor(d$`Resident Gender`, levels = c("F", "M")),
                 evg = factor(d$`Evaluator Gender`, levels = c("F", "M")),
                 pgy = factor(pgy), rot = factor(rot), t = words)
cats <- list(temperament = y1, confidence = y2)
rows <- list()
fit_case <- function(column, category, form, coef, cl1name, variant, y) {
  dd$y <- y
  # Levels without hits: out (their coefficient is -Inf in the limit).
  for (v in c("pgy", "rot", "evg", "rg")) {
    h <- tapply(dd$y, dd[[v]], sum)
    if (any(h == 0)) stop("a level without hits: choose other rates")
  }
  fit <- glm(form, family = poisson, data = dd,
             control = glm.control(epsilon = 1e-15, maxit = 100))
  X <- model.matrix(fit); b <- coef(fit)
  # glm stops at a relative deviance change of 1e-15, which leaves ~1e-9
  # in the coefficients: Newton steps to the MLE at machine precision.
  for (it in 1:5) {
    mu <- drop(dd$t * exp(X %*% b))
    b <- b + drop(solve(crossprod(X * sqrt(mu)), crossprod(X, dd$y - mu)))
  }
  mu <- drop(dd$t * exp(X %*% b)); M <- solve(crossprod(X * sqrt(mu)))
  j <- which(colnames(X) == coef)
  cl1 <- dd[[cl1name]]
  type <- if (variant == "cr1") "CR1" else "CR2"
  cl2 <- if (variant == "both") dd$ev else NULL
  if (variant == "both") cl1 <- dd$res
  vh <- vc_hand(X, mu, dd$y - mu, M, cl1, cl2, type)
  if (type == "CR1") {
    cl <- if (is.null(cl2)) data.frame(cl1) else data.frame(cl1, cl2)
    vp <- vcovCL(fit, cluster = cl, type = "HC0", cadjust = TRUE)
    if (abs(vp[j, j] - vh$V[j, j]) > 1e-6 * vp[j, j]) stop("CR1 hand != vcovCL")
  }
  G <- vh$G
  df <- if (type == "CR1") min(G[G > 0]) - 1 else min(G[G > 0]) - 2
  if (variant == "cr2" && sum(dd$y) / G[1] >= 2)
    df <- bm_df(X, mu, cl1, M, M[, j])
  b <- b[j]; se <- sqrt(vh$V[j, j]); q <- qt(0.975, df)
  rows[[length(rows) + 1]] <<- data.frame(
    cohort_column = column, category = category,
    kind = if (grepl(":", coef)) "interaction" else "adjusted",
    variant = variant, estimate = fmt(exp(b)), ci_low = fmt(exp(b - q * se)),
    ci_high = fmt(exp(b + q * se)), p = fmt(2 * pt(-abs(b / se), df)),
    log_se = fmt(se), df = fmt(df), clusters = G[1],
    parameters = ncol(X))
}
for (variant in c("cr2", "cr1", "both"))
  for (cat in names(cats)) {
    y <- cats[[cat]]
    fit_case("Resident Gender", cat, y ~ rg + pgy + rot + evg + offset(log(t)),
             "rgM", "res", variant, y)
    fit_case("Evaluator Gender", cat, y ~ evg + pgy + rot + offset(log(t)),
             "evgM", "ev", variant, y)
    fit_case("Resident Gender", cat,
             y ~ rg + pgy + rot + evg + rg:evg + offset(log(t)),
             "rgM:evgM", "res", variant, y)
  }
write.csv(do.call(rbind, rows), file.path(out_dir, "reference.csv"),
          row.names = FALSE, quote = FALSE)
