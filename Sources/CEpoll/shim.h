// The Linux interfaces Swift's Glibc module leaves out (epoll, eventfd,
// timerfd, signalfd, accept4, SO_PEERCRED), plus small inline helpers for the
// macros and flag enums that do not import cleanly. Header-only on purpose:
// a system-library target compiles nothing.
#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H

// No _GNU_SOURCE here: it would make these headers disagree with Swift's own
// Glibc module (fd_set's fields are named differently). The two GNU-only
// items we need are declared by hand below.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <pthread.h>
#include <sched.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// `struct ucred` as SO_PEERCRED fills it (GNU-only in glibc's headers).
struct cepoll_ucred { pid_t pid; uid_t uid; gid_t gid; };

static inline int cepoll_socket(int domain, int type) {
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static inline int cepoll_accept(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// send(2), sendmsg(2) and read(2) straight to the kernel: glibc's wrappers
/// are cancellation points and bracket every call with two atomic updates of
/// the thread's cancellation state (~1 % of the loop in fan-out). The loop's
/// threads never use pthread cancellation. -1 with errno, as the libc calls.
static inline ssize_t cepoll_send(int fd, const void *buf, size_t len, int flags) {
    return syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
}
static inline ssize_t cepoll_sendmsg(int fd, const struct msghdr *message, int flags) {
    return syscall(SYS_sendmsg, fd, message, flags);
}
static inline ssize_t cepoll_read(int fd, void *buf, size_t len) {
    return syscall(SYS_read, fd, buf, len);
}

static inline int cepoll_sock_stream(void) { return SOCK_STREAM; }
static inline int cepoll_sock_dgram(void) { return SOCK_DGRAM; }

/// Reads the peer's credentials of a Unix-domain socket; -1 with errno on failure.
static inline int cepoll_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct cepoll_ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid; *uid = cred.uid; *gid = cred.gid;
    return 0;
}

/// Blocks `signo` in the calling thread (threads started later inherit it).
static inline int cepoll_block_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/// A signalfd for the given signals (which must already be blocked).
static inline int cepoll_signalfd(const int *signals, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) sigaddset(&set, signals[i]);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/// Bytes waiting in the kernel's receive queue of a socket (FIONREAD).
static inline int cepoll_pending_input(int fd) {
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) != 0) return 0;
    return n;
}

static inline int cepoll_ignore_sigpipe(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &sa, NULL);
}

/* Puts the calling thread in SCHED_IDLE: it runs only when nothing else
   on the core wants to (Linux; 5 is SCHED_IDLE, hidden without _GNU_SOURCE).
   0 on success, -1 with errno otherwise. */
static inline int cepoll_set_thread_sched_idle(void) {
    struct sched_param param;
    memset(&param, 0, sizeof(param));
    return sched_setscheduler(0, 5, &param);
}

static inline uint32_t cepoll_in(void) { return EPOLLIN; }
static inline uint32_t cepoll_out(void) { return EPOLLOUT; }
static inline uint32_t cepoll_err(void) { return EPOLLERR; }
static inline uint32_t cepoll_hup(void) { return EPOLLHUP; }
static inline uint32_t cepoll_rdhup(void) { return EPOLLRDHUP; }

#endif
