/*
 * lat: low-load HTTP latency. Sends GET / at a fixed rate for a fixed time, one request at a time,
 * either on one keep-alive connection or on a new connection per request ("Connection: close"), and
 * prints the latency percentiles in microseconds. (wrk cannot pace requests; wrk2 is not in Debian.)
 *
 * Latency runs from the request's scheduled start to the last byte of the response, so a slow
 * response delays the next request without hiding its own cost (no coordinated omission). In close
 * mode it includes the TCP handshake. Every socket operation times out after 2 s (counted as an error).
 *
 * usage: lat IPV4 PORT ka|close RATE SECONDS
 * prints: requests=N errors=E p50_us=X p99_us=Y max_us=Z
 * With LAT_DUMP=FILE in the environment it also writes each request's scheduled start (s from the first) and
 * latency (µs) to FILE, one line each, to see when in a run the slow ones came.
 */
#define _GNU_SOURCE                   /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int open_conn(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct timeval tv = {2, 0};
  if (fd < 0) return -1;
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);   /* also bounds connect() */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&target, sizeof target) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* One request and its complete response (headers, then Content-Length bytes of body); 0 on success. */
static int exchange(int fd, const char *req, size_t req_len) {
  char buf[4096];
  size_t have = 0;
  if (send(fd, req, req_len, MSG_NOSIGNAL) != (ssize_t)req_len) return -1;
  for (;;) {
    ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
    if (n <= 0) return -1;
    have += (size_t)n;
    buf[have] = 0;
    char *end = strstr(buf, "\r\n\r\n");
    if (!end) {
      if (have == sizeof buf - 1) return -1;
      continue;
    }
    char *cl = strcasestr(buf, "\r\nContent-Length:");
    if (!cl || cl > end || strncmp(buf, "HTTP/1.1 200", 12) != 0) return -1;
    long body = atol(cl + 17);
    size_t want = (size_t)(end + 4 - buf) + (size_t)body;
    if (have >= want) return 0;
    if (want > sizeof buf - 1) return -1;
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 6 || (strcmp(argv[3], "ka") && strcmp(argv[3], "close"))) {
    fprintf(stderr, "usage: lat IPV4 PORT ka|close RATE SECONDS\n");
    return 2;
  }
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &target.sin_addr) != 1) {
    fprintf(stderr, "lat: bad IPv4 address %s\n", argv[1]);
    return 2;
  }
  int keepalive = strcmp(argv[3], "ka") == 0;
  double rate = atof(argv[4]), seconds = atof(argv[5]);
  long n = (long)(rate * seconds);
  if (rate <= 0 || n <= 0) {
    fprintf(stderr, "lat: RATE and SECONDS must be positive\n");
    return 2;
  }
  char req[256];
  int req_len = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\n%s\r\n", argv[1],
                         keepalive ? "" : "Connection: close\r\n");
  double *lat = malloc(sizeof(double) * (size_t)n), *when = malloc(sizeof(double) * (size_t)n);
  if (!lat || !when) return 1;

  long done = 0, errors = 0;
  int fd = -1;
  double start = mono(), hard_deadline = start + seconds + 5;
  for (long i = 0; i < n; i++) {
    double sched = start + (double)i / rate;
    struct timespec ts = {(time_t)sched, (long)((sched - (time_t)sched) * 1e9)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    if (mono() > hard_deadline) break;
    if (fd < 0) fd = open_conn();
    if (fd < 0 || exchange(fd, req, (size_t)req_len) != 0) {
      errors++;
      if (fd >= 0) close(fd);
      fd = -1;
      continue;
    }
    when[done] = sched - start;
    lat[done++] = (mono() - sched) * 1e6;
    if (!keepalive) {
      close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) close(fd);
  const char *dump = getenv("LAT_DUMP");
  if (dump && *dump) {
    FILE *f = fopen(dump, "w");
    if (!f) {
      perror(dump);
      return 1;
    }
    for (long i = 0; i < done; i++) fprintf(f, "%.3f %.0f\n", when[i], lat[i]);
    fclose(f);
  }
  qsort(lat, (size_t)done, sizeof *lat, cmp);
  double p50 = done ? lat[(done - 1) / 2] : 0, p99 = done ? lat[(long)((done - 1) * 0.99)] : 0;
  printf("requests=%ld errors=%ld p50_us=%.0f p99_us=%.0f max_us=%.0f\n", done, errors, p50, p99,
         done ? lat[done - 1] : 0);
  return 0;
}
