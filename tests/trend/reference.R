# reference.R DATA.csv CONF - the ratio of rate ratios of trend.h computed
# independently: a Poisson GLM with one mean per group (log words offset),
# the CR2 cluster-robust variance of clubSandwich (vcovCR, clustered by
# resident across cycles) and its Satterthwaite (Bell-McCaffrey) degrees
# of freedom for the contrast (linear_contrast), as comparisons.csv's rate
# ratios; t(G-2) instead when there are fewer than 2 hits per cluster (the
# rule of stats_cluster_rr). Prints rrr,lo,hi,p,df with 10 significant
# digits.
suppressMessages(library(clubSandwich))
a <- commandArgs(TRUE)
d <- read.csv(a[1], stringsAsFactors = FALSE)
conf <- as.numeric(a[2])
d <- d[d$words > 0, ]
d$g <- factor(d$group, levels = 0:3)
m <- glm(hits ~ 0 + g + offset(log(words)), family = poisson, data = d,
         control = glm.control(epsilon = 1e-15, maxit = 100))
V <- vcovCR(m, cluster = d$resident, type = "CR2")
k <- c(1, -1, -1, 1)
b <- sum(k * coef(m))
se <- sqrt(drop(t(k) %*% as.matrix(V) %*% k))
G <- length(unique(d$resident))
if (sum(d$hits) / G >= 2) {
    lc <- linear_contrast(m, vcov = V, contrasts = matrix(k, nrow = 1),
                          test = "Satterthwaite")
    df <- lc$df
} else {
    df <- G - 2
}
q <- qt(1 - (1 - conf) / 2, df)
p <- 2 * pt(-abs(b / se), df)
cat(sprintf("%.10g,%.10g,%.10g,%.10g,%.10g\n", exp(b), exp(b - q * se),
            exp(b + q * se), p, df))
