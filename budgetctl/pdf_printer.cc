#include "budgetctl/pdf_printer.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"

namespace budgetctl {
namespace {

// Headless Chromium can hang on a broken display or font setup; a
// publication is never worth waiting longer than this.
constexpr char kTimeLimitSeconds[] = "120";

bool ChromiumInstalled() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = dirs.find(':', start);
    const std::string dir =
        dirs.substr(start, end == std::string::npos ? end : end - start);
    if (!dir.empty() && access((dir + "/chromium").c_str(), X_OK) == 0) {
      return true;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

// Runs chromium with the isolating flags and `actions` (the output flags)
// on `html_path`; its own output goes to /dev/null.
absl::Status RunChromium(const std::string& html_path,
                         const std::vector<std::string>& actions,
                         const std::string& output_path) {
  if (!ChromiumInstalled()) {
    return absl::FailedPreconditionError(
        "chromium is not installed (Debian package chromium)");
  }
  char profile_template[] = "/tmp/budgetctl-chromium-XXXXXX";
  if (mkdtemp(profile_template) == nullptr) {
    return absl::InternalError("cannot create a chromium profile directory");
  }
  const std::string profile = profile_template;
  const std::string url =
      absl::StrCat("file://", std::filesystem::absolute(html_path).string());
  std::vector<std::string> args = {"timeout",
                                   kTimeLimitSeconds,
                                   "chromium",
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile};
  args.insert(args.end(), actions.begin(), actions.end());
  args.push_back(url);
  std::error_code ignored;
  std::filesystem::remove(output_path, ignored);
  // Output still buffered would otherwise be written once more by the
  // child.
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  const bool waited = child > 0 && waitpid(child, &status, 0) == child;
  std::filesystem::remove_all(profile, ignored);
  if (!waited || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("chromium failed on ", html_path,
                     waited && WIFEXITED(status)
                         ? absl::StrCat(" (exit ", WEXITSTATUS(status), ")")
                         : ""));
  }
  if (!std::filesystem::exists(output_path)) {
    return absl::InternalError(absl::StrCat("chromium wrote no ", output_path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrintHtmlToPdf(const std::string& html_path,
                            const std::string& pdf_path) {
  return RunChromium(
      html_path,
      {"--print-to-pdf=" + std::filesystem::absolute(pdf_path).string(),
       "--no-pdf-header-footer"},
      pdf_path);
}

absl::Status ScreenshotHtml(const std::string& html_path,
                            const std::string& png_path) {
  // 794 x 1123 CSS pixels is A4 at 96 dpi.
  return RunChromium(
      html_path,
      {"--screenshot=" + std::filesystem::absolute(png_path).string(),
       "--window-size=794,1123"},
      png_path);
}

}  // namespace budgetctl
