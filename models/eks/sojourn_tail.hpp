// The shape of a processor-sharing sojourn time beyond its mean, for the fluid EKS model's latency
// percentiles. M/G/1-PS keeps the mean insensitive (x / (1 - rho)) but not the spread: for
// M/M/1-PS the variance given the service x is (Coffman, Muntz & Trotter 1970)
//   Var[T | x] = 2 rho x / (mu (1 - rho)^3) - 2 rho (1 - exp(-mu (1 - rho) x)) / (mu^2 (1 - rho)^4),
// whose average over x ~ exp(mu) is 2 rho / (mu^2 (1 - rho)^2 (2 - rho)); with E[T | x]^2 averaged
// the unconditional SCV is (2 + rho) / (2 - rho) (1 at rho 0, 1.86 at rho 0.6). For another
// service distribution of SCV cs2 we keep the M/M/1-PS conditional variance (the other requests'
// work taken as exponential, the two-moment idea of Brandt & Brandt, ZIB-Report 09-25, 2009):
// SCV = cs2 + 2 rho / (2 - rho). Percentiles then come from a two-moment fit of mean 1 and that
// SCV: a balanced-means hyperexponential (Whitt 1982) above 1, a shifted exponential below.
#pragma once

namespace migsim::models::eks {

// SCV of the M/G/1-PS sojourn time at utilisation rho for service times of SCV service_scv.
double ps_sojourn_scv(double rho, double service_scv);

// The q-quantile (0 <= q < 1) of the unit-mean two-moment fit with the given SCV: exponential at
// SCV 1, balanced H2 above, deterministic part + exponential part below.
double unit_mean_quantile(double q, double scv);

}  // namespace migsim::models::eks
