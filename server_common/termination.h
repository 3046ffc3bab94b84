// SIGTERM/SIGINT (and SIGHUP, "reload") handling for servers: the signals are
// blocked in every thread and the main thread waits for them synchronously, so
// shutdown runs as ordinary code rather than inside a signal handler.
//
// BlockTerminationSignals must run before any thread starts (threads
// inherit the mask). Thread-safe after that.
#ifndef SERVER_COMMON_TERMINATION_H_
#define SERVER_COMMON_TERMINATION_H_

#include <functional>

namespace server_common {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and its future
// threads.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns its number. Each SIGHUP
// meanwhile runs `on_hangup` (when set) on the calling thread.
int WaitForTerminationSignal(const std::function<void()>& on_hangup = {});

}  // namespace server_common

#endif  // SERVER_COMMON_TERMINATION_H_
