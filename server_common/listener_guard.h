// What keeps a service reachable when callers hold its file descriptors.
//
// gRPC 1.51 accepts connections until the process runs out of file
// descriptors, and when accept4 then fails (EMFILE, ENFILE, ENOBUFS,
// ENOMEM) it logs "Failed accept4" and stops accepting on that port for
// good: the service goes on running, and no caller can reach it again,
// even after the connections that used the descriptors are gone (gRPC
// issues 16058 and 20418). gRPC 1.51 has no bound on the number of
// connections, so a caller that opens enough of them, idle or not, could
// take a service out of reach for as long as it runs. So a service
//   - raises its limit on open files to the most the system allows it
//     (RaiseOpenFileLimit), which puts that point as far off as it can, and
//   - stops when its listener has stopped (StopWhenListenerFails), as for
//     SIGTERM but with a failure (termination.h: StopForFailure), so that its
//     supervisor (deploy/systemd, Restart=on-failure) starts it again with
//     a listener that accepts. Acknowledged data is durable; the calls in
//     flight get the shutdown grace.
//
// Thread-safe; each is meant to be called once, at start, by StartServer.
#ifndef SERVER_COMMON_LISTENER_GUARD_H_
#define SERVER_COMMON_LISTENER_GUARD_H_

namespace server_common {

// Sets the soft RLIMIT_NOFILE to the hard one. Under deploy/systemd both
// are LimitNOFILE already; where setrlimit is refused the limit stays.
void RaiseOpenFileLimit();

// Routes gRPC's log through the project's own writer (the same lines on
// stderr) and, on gRPC's "Failed accept4", calls StopForFailure. gRPC
// reports that error only at ERROR severity, which it always logs unless
// GRPC_VERBOSITY says otherwise.
void StopWhenListenerFails();

}  // namespace server_common

#endif  // SERVER_COMMON_LISTENER_GUARD_H_
