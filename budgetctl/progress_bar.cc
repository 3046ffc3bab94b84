#include "budgetctl/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace budgetctl {

void ProgressBar::Update(int64_t done) {
  if (!enabled_) return;
  drawn_ = true;
  if (total_ <= 0) {
    absl::FPrintF(out_, "\r%s %d", label_, done);
  } else {
    constexpr int kWidth = 30;
    int64_t filled = std::min<int64_t>(kWidth, done * kWidth / total_);
    absl::FPrintF(out_, "\r%s [%s%s] %3d%%", label_, std::string(filled, '#'),
                  std::string(kWidth - filled, ' '),
                  std::min<int64_t>(100, done * 100 / total_));
  }
  std::fflush(out_);
}

void ProgressBar::Finish() {
  if (drawn_) absl::FPrintF(out_, "\n");
  drawn_ = false;
}

}  // namespace budgetctl
