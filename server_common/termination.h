// SIGTERM/SIGINT (and SIGHUP, "reload") handling for servers: the signals are
// blocked in every thread and the main thread waits for them synchronously, so
// shutdown runs as ordinary code rather than inside a signal handler.
//
// BlockTerminationSignals must run before any thread starts (threads
// inherit the mask). Thread-safe after that.
#ifndef SERVER_COMMON_TERMINATION_H_
#define SERVER_COMMON_TERMINATION_H_

#include <functional>
#include <string>

namespace server_common {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and its future
// threads.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns its number. Each SIGHUP
// meanwhile runs `on_hangup` (when set) on the calling thread.
int WaitForTerminationSignal(const std::function<void()>& on_hangup = {});

// For a failure the service cannot recover from while it runs (its
// listener stopped: listener_guard.h): keeps `why` and raises SIGTERM, so
// that the main thread stops the service as usual, then exits with a
// failure for its supervisor to restart it. The first `why` is kept. Safe
// from any thread, with any lock held: it only records and signals.
void StopForFailure(std::string why);

// Why the service stops, once WaitForTerminationSignal returned `signal`:
// the first StopForFailure's `why`, else "signal N".
std::string StopReason(int signal);

// The exit status of a service that has stopped: 1 after StopForFailure
// (so that a supervisor restarting on failure starts it again), else 0.
int StopExitCode();

}  // namespace server_common

#endif  // SERVER_COMMON_TERMINATION_H_
