#!/usr/bin/env Rscript
# make_reference.R - reference values for tests/unit/test_stats.c.
#
# Run from the repository root:  Rscript tests/stats/make_reference.R
# (Debian: apt-get install r-base-core; only base R and package stats.)
# It rewrites the CSV files beside it. The unit test reads those files and
# never needs R; rerun this only to add cases.
#
# The values come from R's own implementations, independent of src/stats.c:
#   poisson.csv     stats::poisson.test (conditional binomial, Clopper-Pearson)
#   prevalence.csv  stats::fisher.test, and Newcombe's (1998) method 10
#                   written out below from the paper (Wilson limits combined)
#   cluster.csv     stats::glm (Poisson, log link, log-words offset) with the
#   + cluster_cells.csv   sandwich built by hand from the glm's scores:
#                   bread = (X' W X)^-1, meat = sum over clusters of the
#                   outer product of the summed scores, V = bread meat bread
#                   * G/(G-1) (CR1); Wald interval and p on t(G-1)
#   bh.csv          stats::p.adjust(method = "BH")
#   dist.csv        qnorm, pnorm, pt, qt, pbeta, qbeta, dbinom, dhyper,
#                   binom.test, fisher.test
# Status columns name the condition the C code must report when R has no
# estimate (a zero count, no words, too few clusters); "NA" and "Inf" in a
# value column mean the C result must flag that field as not estimable or
# infinite.

out_dir <- "tests/stats"
stopifnot(dir.exists(out_dir))
set.seed(20241122)

# Shortest of %.15g / %.17g that reads back as the same double.
fmt <- function(v) {
  s15 <- sprintf("%.15g", v)
  s <- ifelse(!is.na(v) & suppressWarnings(as.numeric(s15)) == v, s15, sprintf("%.17g", v))
  ifelse(is.na(v), "NA",
         ifelse(is.infinite(v), ifelse(v > 0, "Inf", "-Inf"), s))
}
write_rows <- function(df, file) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- fmt(df[[j]])
  write.csv(df, file.path(out_dir, file), row.names = FALSE, quote = FALSE)
}

## ---- Exact Poisson rate ratio --------------------------------------------
pois <- function(id, x1, t1, x2, t2, conf = 0.95) {
  status <- if (t1 == 0 || t2 == 0) "no_exposure"
            else if (x1 == 0 && x2 == 0) "no_events"
            else if (x2 == 0) "zero_ref"
            else if (x1 == 0) "zero_cohort" else "ok"
  rr <- lo <- hi <- p <- NA
  if (!status %in% c("no_exposure", "no_events")) {
    r <- poisson.test(c(x1, x2), c(t1, t2), conf.level = conf)
    rr <- unname(r$estimate); lo <- r$conf.int[1]; hi <- r$conf.int[2]
    p <- r$p.value
  }
  data.frame(id = id, x1 = x1, t1 = t1, x2 = x2, t2 = t2, conf = conf,
             status = status, rr = rr, lo = lo, hi = hi, p = p)
}
P <- list(
  pois("small", 10, 1000, 3, 2000),
  pois("one_each", 1, 1, 1, 1),
  pois("equal_rates_x_eq_m", 50, 1000, 50, 1000),
  pois("zero_cohort", 0, 1000, 5, 1000),
  pois("zero_ref", 5, 1000, 0, 1000),
  pois("zero_ref_one", 1, 50, 0, 70),
  pois("zero_cohort_huge_ref", 0, 1e3, 1e6, 1e8),
  pois("zero_ref_huge_cohort", 1e6, 1e8, 0, 1e4),
  pois("no_events", 0, 100, 0, 100),
  pois("no_words_cohort", 0, 0, 5, 100),
  pois("no_words_ref", 3, 100, 0, 0),
  pois("tiny_rates", 3, 1e7, 1, 1e3),
  pois("unbalanced_words", 2, 1e3, 500, 1e6),
  pois("unbalanced_counts", 1000, 1e4, 1, 1e5),
  pois("huge_close", 1e7, 5e8, 9.99e6, 5e8),
  pois("huge_far", 1.2e7, 3e8, 2e6, 7e7),
  pois("huge_equal", 1e6, 1e8, 1e6, 1e8),
  pois("huge_unbalanced", 3e6, 1e9, 2e3, 1e6),
  pois("huge_one_ref", 2e6, 1e8, 1, 1e3),
  pois("p_tiny", 1000, 1e5, 10, 1e5),
  pois("fractional_words", 7, 1234.5, 11, 987.25),
  pois("conf90", 12, 3000, 20, 3500, 0.90),
  pois("conf99", 12, 3000, 20, 3500, 0.99),
  pois("conf999", 40, 1e4, 15, 1.2e4, 0.999),
  pois("per_1000_scale", 31, 12.345, 17, 10.2),
  pois("snyder_like", 71, 9400, 2, 8300)
)
for (i in 1:20) {
  mag <- 10^runif(1, 0, 6)
  t1 <- round(10^runif(1, 2, 8)); t2 <- round(10^runif(1, 2, 8))
  r1 <- mag / 1e6 * exp(rnorm(1, 0, 0.7)); r2 <- mag / 1e6
  x1 <- rpois(1, r1 * t1); x2 <- rpois(1, r2 * t2)
  P[[length(P) + 1]] <- pois(sprintf("random%02d", i), x1, t1, x2, t2)
}
write_rows(do.call(rbind, P), "poisson.csv")

## ---- Prevalence difference ---------------------------------------------
wilson <- function(x, n, z) {
  p <- x / n
  den <- 1 + z^2 / n
  ctr <- (p + z^2 / (2 * n)) / den
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / den
  c(if (x == 0) 0 else ctr - half, if (x == n) 1 else ctr + half)
}
newcombe10 <- function(a1, n1, a2, n2, conf) {
  z <- qnorm(1 - (1 - conf) / 2)
  p1 <- a1 / n1; p2 <- a2 / n2; w1 <- wilson(a1, n1, z); w2 <- wilson(a2, n2, z)
  d <- p1 - p2
  c(d, max(-1, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)),
       min(1, d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)))
}
prev <- function(id, a1, n1, a2, n2, conf = 0.95) {
  if (n1 == 0 || n2 == 0)
    return(data.frame(id = id, a1 = a1, n1 = n1, a2 = a2, n2 = n2,
                      conf = conf, status = "empty", diff = NA, lo = NA,
                      hi = NA, p = NA))
  nc <- newcombe10(a1, n1, a2, n2, conf)
  p <- fisher.test(matrix(c(a1, a2, n1 - a1, n2 - a2), 2))$p.value
  data.frame(id = id, a1 = a1, n1 = n1, a2 = a2, n2 = n2, conf = conf,
             status = "ok", diff = nc[1], lo = nc[2], hi = nc[3], p = p)
}
V <- list(
  prev("snyder_personality", 71, 94, 2, 83),
  prev("snyder_critical", 94, 107, 83, 141),
  prev("newcombe_a", 56, 70, 48, 80),
  prev("newcombe_b", 9, 10, 3, 10),
  prev("newcombe_c", 6, 7, 2, 7),
  prev("newcombe_d", 5, 56, 0, 29),
  prev("newcombe_e", 0, 10, 0, 20),
  prev("newcombe_f", 0, 10, 0, 10),
  prev("newcombe_g", 10, 10, 0, 20),
  prev("newcombe_h", 10, 10, 0, 10),
  prev("all_hit_both", 12, 12, 30, 30),
  prev("one_of_one", 1, 1, 0, 1),
  prev("empty_cohort", 0, 0, 3, 10),
  prev("empty_ref", 2, 5, 0, 0),
  prev("large", 30000, 100000, 29000, 100000),
  prev("large_unbalanced", 250, 1000, 52000, 200000),
  prev("huge", 250000, 1e6, 251500, 1e6),
  prev("huge_far", 300000, 1e6, 200000, 1e6),
  prev("tiny_vs_large", 1, 3, 4000, 9000),
  prev("conf90", 17, 40, 9, 38, 0.90),
  prev("conf99", 17, 40, 9, 38, 0.99)
)
for (i in 1:10) {
  n1 <- sample(c(5, 20, 80, 300, 2000), 1); n2 <- sample(c(5, 20, 80, 300, 2000), 1)
  pr <- runif(1, 0.02, 0.6)
  V[[length(V) + 1]] <- prev(sprintf("random%02d", i),
                             rbinom(1, n1, min(0.95, pr * exp(rnorm(1, 0, 0.4)))), n1,
                             rbinom(1, n2, pr), n2)
}
write_rows(do.call(rbind, V), "prevalence.csv")

## ---- Cluster-robust rate ratio ------------------------------------------
cells <- list()
crow <- list()
clus <- function(id, d, conf = 0.95) {
  cells[[length(cells) + 1]] <<- cbind(data.frame(id = id), d)
  d <- d[d$t > 0, ]
  G <- length(unique(d$cluster))
  Y1 <- sum(d$y[d$group == 1]); T1 <- sum(d$t[d$group == 1])
  Y0 <- sum(d$y[d$group == 0]); T0 <- sum(d$t[d$group == 0])
  rr <- b <- se <- lo <- hi <- p <- NA
  status <- if (T1 == 0 || T0 == 0) "no_exposure"
            else if (Y1 == 0 && Y0 == 0) "no_events"
            else if (Y0 == 0) "zero_ref"
            else if (Y1 == 0) "zero_cohort"
            else if (G < 2) "few_clusters" else "ok"
  if (status == "zero_ref") rr <- Inf
  if (status == "zero_cohort") rr <- 0
  if (status %in% c("few_clusters", "ok")) {
    fit <- glm(y ~ group + offset(log(t)), family = poisson, data = d,
               control = glm.control(epsilon = 1e-15, maxit = 100))
    b <- unname(coef(fit)[2]); rr <- exp(b)
  }
  if (status == "ok") {
    X <- model.matrix(fit); mu <- fitted(fit)
    U <- X * (d$y - mu)                       # score contributions
    Uc <- rowsum(U, d$cluster)                # summed within clusters
    bread <- solve(crossprod(X, X * mu))      # inverse Fisher information
    Vc <- bread %*% crossprod(Uc) %*% bread * G / (G - 1)   # CR1
    if (Vc[2, 2] <= 1e-16 * (1 / Y1 + 1 / Y0)) {
      status <- "zero_variance"
    } else {
      se <- sqrt(Vc[2, 2])
      crit <- qt(1 - (1 - conf) / 2, G - 1)
      lo <- exp(b - crit * se); hi <- exp(b + crit * se)
      p <- 2 * pt(-abs(b / se), G - 1)
    }
  }
  if (status != "ok") b <- NA
  crow[[length(crow) + 1]] <<- data.frame(
    id = id, conf = conf, status = status, clusters = G, rr = rr,
    log_rr = b, se = se, lo = lo, hi = hi, p = p)
}
# Residents with gamma-distributed rates (shape k), words per resident,
# Poisson hits; residents nested in group unless crossed.
sim <- function(g1, g0, rate, ratio, shape = 2, words = c(500, 5000),
                crossed = FALSE, rows = 1) {
  out <- NULL
  if (crossed) {
    for (r in 1:g1) for (g in 0:1) for (k in 1:rows) {
      t <- round(runif(1, words[1], words[2]))
      lam <- rate * rgamma(1, shape, shape) * (if (g == 1) ratio else 1)
      out <- rbind(out, data.frame(cluster = 1000 + r, group = g, y = rpois(1, lam * t), t = t))
    }
    return(out)
  }
  for (r in seq_len(g1 + g0)) for (k in 1:rows) {
    g <- as.integer(r <= g1)
    t <- round(runif(1, words[1], words[2]))
    lam <- rate * rgamma(1, shape, shape) * (if (g == 1) ratio else 1)
    out <- rbind(out, data.frame(cluster = 7 * r + 3, group = g, y = rpois(1, lam * t), t = t))
  }
  out
}
clus("nested_20_20", sim(20, 20, 2e-3, 1.5))
clus("nested_5_3", sim(5, 3, 3e-3, 2))
clus("nested_2_2", sim(2, 2, 5e-3, 1))
clus("crossed_15", sim(15, 0, 2e-3, 1.3, crossed = TRUE))
clus("rows_per_eval", sim(8, 12, 2e-3, 0.7, rows = 4))
clus("many_200", sim(100, 100, 1e-3, 1.1, shape = 5))
clus("huge_counts", sim(30, 40, 1e-2, 1.2, words = c(5e6, 2e7)))
clus("overdispersed", sim(25, 25, 2e-3, 1, shape = 0.3))
clus("conf90", sim(10, 10, 2e-3, 1.4), conf = 0.90)
clus("conf99", sim(10, 10, 2e-3, 1.4), conf = 0.99)
clus("three_clusters", data.frame(cluster = c(1, 2, 3), group = c(1, 1, 0),
                                   y = c(4, 9, 5), t = c(1000, 1500, 2200)))
clus("zero_word_rows_ignored",
     data.frame(cluster = c(1, 2, 3, 4, 5, 5), group = c(1, 1, 0, 0, 0, 1),
                y = c(3, 8, 2, 6, 0, 0), t = c(900, 1400, 800, 2100, 0, 0)))
clus("one_per_group", data.frame(cluster = c(1, 2), group = c(1, 0),
                                  y = c(4, 9), t = c(1000, 1500)))
clus("single_cluster", data.frame(cluster = c(5, 5), group = c(1, 0),
                                   y = c(4, 9), t = c(1000, 1500)))
clus("zero_cohort", data.frame(cluster = 1:4, group = c(1, 1, 0, 0),
                                y = c(0, 0, 3, 5), t = c(800, 900, 1000, 700)))
clus("zero_ref", data.frame(cluster = 1:4, group = c(1, 1, 0, 0),
                             y = c(2, 1, 0, 0), t = c(800, 900, 1000, 700)))
clus("no_events", data.frame(cluster = 1:4, group = c(1, 1, 0, 0),
                              y = c(0, 0, 0, 0), t = c(800, 900, 1000, 700)))
clus("no_words_ref", data.frame(cluster = 1:3, group = c(1, 1, 0),
                                 y = c(2, 1, 0), t = c(800, 900, 0)))
write_rows(do.call(rbind, cells), "cluster_cells.csv")
write_rows(do.call(rbind, crow), "cluster.csv")

## ---- Benjamini-Hochberg ------------------------------------------------
B <- list()
bh <- function(id, p) {
  B[[length(B) + 1]] <<- data.frame(id = id, i = seq_along(p) - 1, p = p,
                                    q = p.adjust(p, "BH"))
}
bh("uniform20", runif(20))
bh("mixed30", c(runif(10, 0, 1e-3), runif(20)))
bh("ties", c(0.01, 0.01, 0.02, 0.02, 0.02, 0.5, 0.04, 0.04))
bh("with_na", c(0.03, NA, 0.001, 0.2, NA, 0.04))
bh("zeros_ones", c(0, 1, 0, 0.5, 1, 1e-300))
bh("single", 0.2)
bh("all_large", c(0.9, 0.8, 0.95, 0.99))
bh("tiny_values", c(1e-20, 3e-15, 2e-10, 0.049, 0.051))
write_rows(do.call(rbind, B), "bh.csv")

## ---- Distribution functions and exact tests ----------------------------
D <- list()
dist <- function(fn, a, b = NA, c = NA, d = NA, value) {
  D[[length(D) + 1]] <<- data.frame(fn = fn, a = a, b = b, c = c, d = d, value = value)
}
for (p in c(1e-300, 1e-20, 1e-10, 1e-3, 0.025, 0.3, 0.5, 0.7, 0.975, 1 - 1e-6))
  dist("qnorm", p, value = qnorm(p))
for (z in c(-37, -10, -1.959963984540054, 0, 1, 5))
  dist("pnorm", z, value = pnorm(z))
for (a in list(c(-2.5, 7), c(2, 1), c(-30, 3), c(0.5, 100), c(3, 1e6), c(-1e3, 2), c(1.7, 19)))
  dist("pt", a[1], a[2], value = pt(a[1], a[2]))
for (a in list(c(0.975, 1), c(0.975, 2), c(0.995, 4), c(0.025, 30), c(1e-8, 5), c(0.975, 1e5), c(0.95, 199)))
  dist("qt", a[1], a[2], value = qt(a[1], a[2]))
for (a in list(c(0.3, 2, 5), c(0.999, 0.5, 1e3), c(0.5, 1e6, 1e6 + 10), c(1e-5, 0.5, 50),
               c(0.7, 3.5, 1.5), c(0.5000005, 1e7, 1e7), c(0.9, 1, 1)))
  dist("pbeta", a[1], a[2], a[3], value = pbeta(a[1], a[2], a[3]))
for (a in list(c(0.025, 10, 991), c(0.975, 5e6, 5e6), c(0.5, 0.5, 0.5), c(1e-6, 2, 3), c(0.025, 1, 1e6)))
  dist("qbeta", a[1], a[2], a[3], value = qbeta(a[1], a[2], a[3]))
for (a in list(c(5, 10, 0.3), c(1e6, 2e6, 0.5), c(0, 1e7, 1e-7), c(3e6, 1e7, 0.31), c(10, 10, 0.9)))
  dist("dbinom_log", a[1], a[2], a[3], value = dbinom(a[1], a[2], a[3], log = TRUE))
for (a in list(c(10, 50, 60, 30), c(5e5, 1e6, 1e6, 1e6), c(0, 5, 7, 4), c(3, 3, 10, 3)))
  dist("dhyper_log", a[1], a[2], a[3], a[4], value = dhyper(a[1], a[2], a[3], a[4], log = TRUE))
for (a in list(c(7, 20, 0.3), c(0, 10, 0.5), c(10, 10, 0.5), c(682, 925, 0.75), c(5e6, 1e7, 0.5001),
               c(3, 1e6, 1e-6), c(1, 2, 0.5), c(17, 40, 0.25)))
  dist("binom_test", a[1], a[2], a[3], value = binom.test(a[1], a[2], a[3])$p.value)
for (a in list(c(3, 1, 1, 3), c(10, 0, 0, 10), c(1, 9, 11, 3), c(0, 5, 0, 7), c(500, 400, 300, 600),
               c(2, 0, 0, 0), c(123456, 876544, 120000, 880000)))
  dist("fisher", a[1], a[2], a[3], a[4],
       value = fisher.test(matrix(c(a[1], a[3], a[2], a[4]), 2))$p.value)
write_rows(do.call(rbind, D), "dist.csv")
cat("wrote", out_dir, "\n")
