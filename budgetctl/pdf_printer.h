// Prints an HTML file to PDF with headless Chromium (Debian `chromium`):
// the publication's PDF is exactly its HTML as a browser prints it, with
// the document's own A4 page styles. Runs `chromium` from PATH in a fresh
// profile directory, no network services, killed after a time limit.
// Thread-compatible (each call has its own profile directory).
#ifndef BUDGETCTL_PDF_PRINTER_H_
#define BUDGETCTL_PDF_PRINTER_H_

#include <string>

#include "absl/status/status.h"

namespace budgetctl {

// FAILED_PRECONDITION when chromium is not installed; INTERNAL when it
// fails or writes no PDF.
absl::Status PrintHtmlToPdf(const std::string& html_path,
                            const std::string& pdf_path);

// A PNG of the top of the first page at A4 width, for a person to look at.
absl::Status ScreenshotHtml(const std::string& html_path,
                            const std::string& png_path);

}  // namespace budgetctl

#endif  // BUDGETCTL_PDF_PRINTER_H_
