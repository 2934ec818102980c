#include "sim/sweep/calibration.h"

#include <cmath>

#include "sim/sweep/byte_codec.h"

namespace lokalmat::sweep {

std::string_view prior_name(PriorKind k) {
  switch (k) {
    case PriorKind::uniform: return "uniform";
    case PriorKind::log_uniform: return "log_uniform";
    case PriorKind::normal: return "normal";
    case PriorKind::truncated_normal: return "truncated_normal";
  }
  return "?";
}

double Prior::density(double x) const {
  if (!(x >= lo && x <= hi)) return 0;
  switch (kind) {
    case PriorKind::uniform: return 1.0 / (hi - lo);
    case PriorKind::log_uniform: return 1.0 / (x * (std::log(hi) - std::log(lo)));
    case PriorKind::normal:
    case PriorKind::truncated_normal: {
      const double u = (x - mean) / sd;
      return std::exp(-0.5 * u * u);
    }
  }
  return 0;
}

double Prior::to_work(double x) const { return kind == PriorKind::log_uniform ? std::log(x) : x; }
double Prior::from_work(double z) const { return kind == PriorKind::log_uniform ? std::exp(z) : z; }

double Prior::work_density(double z) const {
  if (kind != PriorKind::log_uniform) return density(z);
  // z = log x is uniform on [log lo, log hi]
  return z >= std::log(lo) && z <= std::log(hi) ? 1.0 : 0.0;
}

double target_distance(const std::vector<Target>& targets, const std::vector<double>& simulated) {
  if (simulated.size() != targets.size()) return std::numeric_limits<double>::infinity();
  double sum = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const double z = (simulated[i] - targets[i].observed) / targets[i].sd;
    if (!std::isfinite(z)) return std::numeric_limits<double>::infinity();
    sum += z * z;
  }
  return std::sqrt(sum / static_cast<double>(targets.size()));
}

std::uint64_t CalibrationDef::fingerprint() const {
  bytes::ByteWriter w;
  w.str("lokalmat calibration fingerprint 1");
  w.str(resolved_toml);
  w.str(model.is_test_model() ? std::string() : model.base.resolved_toml);
  return bytes::digest(w.data());
}

}  // namespace lokalmat::sweep
