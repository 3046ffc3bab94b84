// A progress bar on stderr for long streams (export, import), drawn only
// when stderr is a terminal so that logs and pipes stay clean.
//
// Owns no resources besides its state. Not thread-safe.
#ifndef BUDGETCTL_PROGRESS_BAR_H_
#define BUDGETCTL_PROGRESS_BAR_H_

#include <cstdint>
#include <cstdio>
#include <string>

namespace budgetctl {

class ProgressBar {
 public:
  // Draws on `out` when `enabled` (callers pass isatty(fileno(out))).
  // `total` is the expected count, or 0 when unknown (a counter is drawn).
  ProgressBar(std::FILE* out, bool enabled, std::string label, int64_t total)
      : out_(out), enabled_(enabled), label_(std::move(label)), total_(total) {}

  void Update(int64_t done);
  // Ends the line the bar was drawn on.
  void Finish();

 private:
  std::FILE* out_;
  bool enabled_;
  std::string label_;
  int64_t total_;
  bool drawn_ = false;
};

}  // namespace budgetctl

#endif  // BUDGETCTL_PROGRESS_BAR_H_
