/*
 * fanout-gen: an independent fan-out load generator in C, to cross-check
 * chatbench (a different language, runtime and I/O code, the same
 * protocol). One thread, epoll, nonblocking sockets, loopback only.
 *
 *   gcc -O2 -o /tmp/fanout-gen bench/fanout-gen.c
 *   fanout-gen PORT [members 200] [senders 10] [inflight 8] [seconds 10] [size 100]
 *
 * Same scenario as `chatbench fanout`: MEMBERS clients join #fanout, the
 * first SENDERS each keep INFLIGHT messages outstanding; a message
 * completes when every other member has it, and its sender then sends the
 * next. Every receiver checks each sender's sequence (gaps, duplicates).
 * TCP_NODELAY on every socket; nothing else is tuned (no QUICKACK, default
 * buffers): the generator reads everything the kernel has on each wake-up.
 * Prints one JSON line; exits 2 if any gap, duplicate, error or disconnect.
 * Bounded: gives up after seconds + 60.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXS 64
#define RING 4096 /* per sender: outstanding messages by seq % RING */

typedef struct {
    int fd;
    int registered, joined;
    char in[65536];
    size_t inlen;
    char *out;
    size_t outlen, outcap;
    uint64_t next[MAXS]; /* next expected seq from each sender */
} client_t;

static client_t *cl;
static int members = 200, senders = 10, inflight = 8, size = 100;
static double seconds = 10;
static int ep;
static uint64_t gaps, dups, errors, disconnects, deliveries, completed;
static uint64_t seqsent[MAXS];
static int left_[MAXS][RING];
static uint64_t *lat; static size_t latn, latcap;
static int measuring, sending = 1;
static int quickack; /* FANOUT_QUICKACK=1: re-arm TCP_QUICKACK after every read (an experiment) */

static uint64_t now_ns(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}
static double cpu_s(void) {
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}
static double proc_cpu_s(int pid) { /* utime + stime of a process, all threads */
    char path[64], buf[2048]; snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r"); if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f); fclose(f); buf[n] = 0;
    char *p = strrchr(buf, ')'); if (!p) return -1;
    unsigned long ut = 0, st = 0; int field = 2;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " ")) {
        field++;
        if (field == 14) ut = strtoul(tok, NULL, 10);
        if (field == 15) { st = strtoul(tok, NULL, 10); break; }
    }
    return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

static void queue(client_t *c, const char *s, size_t n) {
    if (c->outlen + n > c->outcap) {
        c->outcap = (c->outlen + n) * 2;
        c->out = realloc(c->out, c->outcap);
    }
    memcpy(c->out + c->outlen, s, n);
    c->outlen += n;
}
static void flush(client_t *c) {
    while (c->outlen > 0) {
        ssize_t w = write(c->fd, c->out, c->outlen);
        if (w < 0) { if (errno == EAGAIN) break; perror("write"); exit(3); }
        memmove(c->out, c->out + w, c->outlen - (size_t)w);
        c->outlen -= (size_t)w;
    }
    struct epoll_event ev = { .events = EPOLLIN | (c->outlen ? EPOLLOUT : 0), .data.u32 = (uint32_t)(c - cl) };
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void send_msg(int s) {
    if (!sending) return;
    uint64_t seq = seqsent[s]++;
    left_[s][seq % RING] = members - 1;
    char line[1024];
    int n = snprintf(line, sizeof line, "PRIVMSG #fanout :B %d %llu %llu ", s, (unsigned long long)seq,
                     (unsigned long long)now_ns());
    while (n < 18 + size && n < (int)sizeof line - 3) line[n++] = 'x';
    line[n++] = '\r'; line[n++] = '\n';
    queue(&cl[s], line, (size_t)n);
}

static void on_line(client_t *c, char *line, size_t len) {
    line[len] = 0;
    char *p = line;
    if (*p == '@') { p = strchr(p, ' '); if (!p) return; p++; }
    if (strncmp(p, "PING ", 5) == 0) { queue(c, "PONG ", 5); queue(c, p + 5, strlen(p + 5)); queue(c, "\r\n", 2); return; }
    if (strncmp(p, "ERROR", 5) == 0) { errors++; return; }
    char *cmd = strchr(p, ' '); if (!cmd) return; cmd++;
    if (strncmp(cmd, "PRIVMSG ", 8) == 0) {
        char *b = strstr(cmd, " :B "); if (!b) return;
        int s; unsigned long long seq, stamp;
        if (sscanf(b + 4, "%d %llu %llu", &s, &seq, &stamp) != 3 || s < 0 || s >= senders) return;
        if (seq < c->next[s]) dups++;
        else { gaps += seq - c->next[s]; c->next[s] = seq + 1; }
        if (measuring) deliveries++;
        int *l = &left_[s][seq % RING];
        if (--*l == 0) {
            if (measuring) {
                if (latn == latcap) { latcap = latcap ? latcap * 2 : 65536; lat = realloc(lat, latcap * 8); }
                lat[latn++] = now_ns() - stamp;
            }
            completed++;
            send_msg(s);
        }
        return;
    }
    int code = atoi(cmd);
    if (code == 1 && !c->registered) { c->registered = 1; queue(c, "JOIN #fanout\r\n", 14); }
    else if (code == 366) c->joined = 1;
    else if (code >= 400 && code < 600) { errors++; fprintf(stderr, "error: %s\n", line); }
}

static int cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: fanout-gen PORT [members senders inflight seconds size] [server-pid]\n"); return 64; }
    int port = atoi(argv[1]);
    if (argc > 2) members = atoi(argv[2]);
    if (argc > 3) senders = atoi(argv[3]);
    if (argc > 4) inflight = atoi(argv[4]);
    if (argc > 5) seconds = atof(argv[5]);
    if (argc > 6) size = atoi(argv[6]);
    int spid = argc > 7 ? atoi(argv[7]) : 0;
    quickack = getenv("FANOUT_QUICKACK") && atoi(getenv("FANOUT_QUICKACK"));
    if (senders > MAXS || inflight * 2 > RING) { fprintf(stderr, "too many senders or in flight\n"); return 64; }
    struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl); rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl);
    ep = epoll_create1(0);
    cl = calloc((size_t)members, sizeof *cl);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    /* Connect and register in batches of 8 (ngIRCd's listen backlog is 10). */
    int connected = 0, joined = 0;
    uint64_t start = now_ns(), deadline = start + (uint64_t)((seconds + 60) * 1e9);
    uint64_t measure_start = 0, measure_end = 0, drain_end = 0;
    double cpu0 = 0, scpu0 = 0, cpu1 = 0, scpu1 = 0;
    struct epoll_event evs[256];
    for (;;) {
        while (connected < members && connected - joined < 8) {
            client_t *c = &cl[connected];
            c->fd = socket(AF_INET, SOCK_STREAM, 0);
            int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 3; }
            fcntl(c->fd, F_SETFL, O_NONBLOCK);
            struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)connected };
            epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
            char reg[128];
            int n = snprintf(reg, sizeof reg, "NICK g%d\r\nUSER g%d 0 * :gen\r\n", connected, connected);
            queue(c, reg, (size_t)n); flush(c);
            connected++;
        }
        uint64_t t = now_ns();
        if (!measure_start && joined == members) {
            measure_start = t; cpu0 = cpu_s(); if (spid) scpu0 = proc_cpu_s(spid);
            measuring = 1;
            for (int s = 0; s < senders; s++) for (int i = 0; i < inflight; i++) send_msg(s);
            for (int s = 0; s < senders; s++) flush(&cl[s]);
        }
        if (measure_start && !measure_end && t - measure_start >= (uint64_t)(seconds * 1e9)) {
            measure_end = t; cpu1 = cpu_s(); if (spid) scpu1 = proc_cpu_s(spid);
            measuring = 0; sending = 0; drain_end = t + 5000000000ull;
        }
        if (measure_end) {
            uint64_t sent = 0; for (int s = 0; s < senders; s++) sent += seqsent[s];
            if (completed == sent || t > drain_end) break;
        }
        if (t > deadline) { fprintf(stderr, "time limit\n"); errors++; break; }
        int n = epoll_wait(ep, evs, 256, 10);
        for (int i = 0; i < n; i++) {
            client_t *c = &cl[evs[i].data.u32];
            if (evs[i].events & EPOLLOUT) flush(c);
            if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                size_t space = sizeof c->in - c->inlen - 1;
                ssize_t r = read(c->fd, c->in + c->inlen, space);
                if (r < 0 && errno == EAGAIN) break;
                if (r <= 0) { disconnects++; epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); break; }
                c->inlen += (size_t)r;
                if (quickack) { int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one); }
                size_t off = 0;
                for (;;) {
                    char *nl = memchr(c->in + off, '\n', c->inlen - off);
                    if (!nl) break;
                    size_t len = (size_t)(nl - (c->in + off));
                    if (len && c->in[off + len - 1] == '\r') len--;
                    int was = c->joined;
                    on_line(c, c->in + off, len);
                    if (!was && c->joined) joined++;
                    off = (size_t)(nl - c->in) + 1;
                }
                memmove(c->in, c->in + off, c->inlen - off);
                c->inlen -= off;
                if ((size_t)r < space) break; /* drained */
            }
        }
        /* What the handlers queued goes out once per wake-up, as chatbench does. */
        for (int i = 0; i < members; i++) if (cl[i].outlen) flush(&cl[i]);
    }
    /* Receivers that never got a message that was sent count as gaps. */
    for (int r = 0; r < members; r++)
        for (int s = 0; s < senders; s++) if (s != r && cl[r].next[s] < seqsent[s]) gaps += seqsent[s] - cl[r].next[s];
    double wall = measure_end && measure_start ? (measure_end - measure_start) / 1e9 : 0;
    qsort(lat, latn, 8, cmp);
    double p50 = latn ? lat[latn / 2] / 1e6 : 0, p99 = latn ? lat[(size_t)(latn * 0.99)] / 1e6 : 0;
    double scpu = spid && wall ? (scpu1 - scpu0) : 0;
    int failed = gaps || dups || errors || disconnects || !wall;
    printf("{\"generator\":\"fanout-gen\",\"scenario\":\"fanout\",\"deliveriesPerSecond\":%.0f,"
           "\"deliveriesPerServerCPUSecond\":%.0f,\"completionP50Millis\":%.3f,\"completionP99Millis\":%.3f,"
           "\"generatorCPU\":%.3f,\"serverCPU\":%.3f,\"gaps\":%llu,\"duplicates\":%llu,\"errors\":%llu,"
           "\"disconnects\":%llu,\"failed\":%s}\n",
           wall ? deliveries / wall : 0, scpu > 0 ? deliveries / scpu : 0, p50, p99, wall ? (cpu1 - cpu0) / wall : 0,
           wall ? scpu / wall : 0, (unsigned long long)gaps, (unsigned long long)dups, (unsigned long long)errors,
           (unsigned long long)disconnects, failed ? "true" : "false");
    return failed ? 2 : 0;
}
