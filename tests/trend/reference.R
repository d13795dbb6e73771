# reference.R DATA.csv CONF - the ratio of rate ratios of trend.h computed
# independently: a Poisson GLM with one mean per group (log words offset)
# and the cluster-robust sandwich of R's sandwich package, clustered by
# resident, CR1 (G/(G-1), no (N-1)/(N-K)), t(G-1) interval. Prints
# rrr,lo,hi,p with 10 significant digits.
suppressMessages(library(sandwich))
a <- commandArgs(TRUE)
d <- read.csv(a[1], stringsAsFactors = FALSE)
conf <- as.numeric(a[2])
d <- d[d$words > 0, ]
d$g <- factor(d$group, levels = 0:3)
m <- glm(hits ~ 0 + g + offset(log(words)), family = poisson, data = d)
V <- vcovCL(m, cluster = ~resident, type = "HC0", cadjust = TRUE)
k <- c(1, -1, -1, 1)
b <- sum(k * coef(m))
se <- sqrt(drop(t(k) %*% V %*% k))
G <- length(unique(d$resident))
q <- qt(1 - (1 - conf) / 2, G - 1)
p <- 2 * pt(-abs(b / se), G - 1)
cat(sprintf("%.10g,%.10g,%.10g,%.10g\n", exp(b), exp(b - q * se), exp(b + q * se), p))
