// SIGTERM/SIGINT handling for servers: the signals are blocked in every
// thread and the main thread waits for them synchronously, so shutdown runs
// as ordinary code rather than inside a signal handler.
//
// BlockTerminationSignals must run before any thread starts (threads
// inherit the mask). Thread-safe after that.
#ifndef SERVER_COMMON_TERMINATION_H_
#define SERVER_COMMON_TERMINATION_H_

namespace server_common {

// Blocks SIGTERM and SIGINT in the calling thread and its future threads.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives; returns its number.
int WaitForTerminationSignal();

}  // namespace server_common

#endif  // SERVER_COMMON_TERMINATION_H_
