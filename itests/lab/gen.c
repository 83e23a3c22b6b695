/*
 * gen: raw UDP flood for the lab (packet-io-baseline.md 2.1). 60-byte Ethernet/IPv4/UDP frames with
 * valid checksums, source ports cycling over 1024..2047 (1024 flows), written into an AF_PACKET
 * TPACKET_V2 TX ring with qdisc bypass. Bounded by a packet count and a time limit.
 *
 * trafgen is not used: it treats EAGAIN from its ring flush as fatal, which happens as soon as the
 * receiver runs on another CPU (in-flight skbs fill the socket send buffer). Here a frame the kernel
 * could not take stays SEND_REQUEST and is simply kicked again.
 *
 * usage: gen IFNAME DST_MAC SRC_MAC SRC_IP DST_IP DST_PORT SECONDS MAX_PACKETS
 * prints: sent=N seconds=S pps=R
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

enum { FRAME_LEN = 60, FLOWS = 1024, FIRST_PORT = 1024, KICK_EVERY = 64 };
enum { BLOCK_SIZE = 1 << 16, BLOCK_NR = 64, FRAME_SIZE = 2048 };

static void die(const char *what) { perror(what); exit(1); }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s) {
  for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)p[i] << 8 | p[i + 1];
  if (n & 1) s += (uint32_t)p[n - 1] << 8;
  return s;
}

static uint16_t fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

static void parse_mac(const char *s, uint8_t *mac) {
  if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
    fprintf(stderr, "gen: bad MAC %s\n", s);
    exit(2);
  }
}

/* frames[i]: the frame of flow i (source port FIRST_PORT + i), checksums included. */
static void build_frames(uint8_t frames[FLOWS][FRAME_LEN], char **argv) {
  uint8_t t[FRAME_LEN] = {0};
  uint8_t *ip = t + 14, *udp = ip + 20;
  struct in_addr src, dst;
  if (inet_pton(AF_INET, argv[4], &src) != 1 || inet_pton(AF_INET, argv[5], &dst) != 1) {
    fprintf(stderr, "gen: bad IPv4 address\n");
    exit(2);
  }
  parse_mac(argv[2], t);
  parse_mac(argv[3], t + 6);
  t[12] = 0x08;                       /* EtherType IPv4 */
  ip[0] = 0x45;                       /* IPv4, 20-byte header */
  ip[3] = FRAME_LEN - 14;             /* total length 46 */
  ip[8] = 64;                         /* TTL */
  ip[9] = 17;                         /* UDP */
  memcpy(ip + 12, &src, 4);
  memcpy(ip + 16, &dst, 4);
  uint16_t ipsum = fold(sum16(ip, 20, 0));
  ip[10] = ipsum >> 8;
  ip[11] = ipsum & 0xff;
  int dport = atoi(argv[6]);
  udp[2] = dport >> 8;
  udp[3] = dport & 0xff;
  udp[5] = FRAME_LEN - 34;            /* UDP length 26: 8 header + 18 payload */
  memset(udp + 8, 0x41, FRAME_LEN - 42);
  for (int i = 0; i < FLOWS; i++) {
    memcpy(frames[i], t, FRAME_LEN);
    uint8_t *u = frames[i] + 34;
    u[0] = (FIRST_PORT + i) >> 8;
    u[1] = (FIRST_PORT + i) & 0xff;
    /* pseudo header: addresses, protocol, UDP length; then the UDP header and payload */
    uint32_t s = sum16(ip + 12, 8, 17 + (FRAME_LEN - 34));
    uint16_t c = fold(sum16(u, FRAME_LEN - 34, s));
    if (c == 0) c = 0xffff;           /* 0 means "no checksum" in UDP */
    u[6] = c >> 8;
    u[7] = c & 0xff;
  }
}

static void kick(int fd) {
  if (sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != ENOBUFS) die("sendto");
}

int main(int argc, char **argv) {
  if (argc != 9) {
    fprintf(stderr, "usage: gen IFNAME DST_MAC SRC_MAC SRC_IP DST_IP DST_PORT SECONDS MAX_PACKETS\n");
    return 2;
  }
  static uint8_t frames[FLOWS][FRAME_LEN];
  build_frames(frames, argv);
  double seconds = atof(argv[7]);
  long long max = atoll(argv[8]);

  int fd = socket(AF_PACKET, SOCK_RAW, 0);   /* protocol 0: this socket receives nothing */
  if (fd < 0) die("socket");
  int v = TPACKET_V2, one = 1, sndbuf = 64 << 20;
  if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v)) die("PACKET_VERSION");
  if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one)) die("PACKET_QDISC_BYPASS");
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf)) die("SO_SNDBUFFORCE");
  struct tpacket_req req = {BLOCK_SIZE, BLOCK_NR, FRAME_SIZE, BLOCK_SIZE / FRAME_SIZE * BLOCK_NR};
  if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req)) die("PACKET_TX_RING");
  uint8_t *ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (ring == MAP_FAILED) die("mmap");
  struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                           .sll_ifindex = (int)if_nametoindex(argv[1])};
  if (ll.sll_ifindex == 0) die(argv[1]);
  if (bind(fd, (struct sockaddr *)&ll, sizeof ll)) die("bind");

  const unsigned nframes = req.tp_frame_nr;
  const size_t data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
  long long queued = 0;
  unsigned idx = 0, unkicked = 0;
  double start = now(), deadline = start + seconds;
  while (queued < max) {
    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)idx * FRAME_SIZE);
    unsigned status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
    if (status == TP_STATUS_AVAILABLE) {
      memcpy((uint8_t *)h + data_off, frames[queued % FLOWS], FRAME_LEN);
      h->tp_len = FRAME_LEN;
      __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
      idx = (idx + 1) % nframes;
      queued++;
      if (++unkicked == KICK_EVERY) {
        kick(fd);
        unkicked = 0;
        if (now() >= deadline) break;
      }
    } else if (status & TP_STATUS_WRONG_FORMAT) {
      fprintf(stderr, "gen: kernel refused a frame (TP_STATUS_WRONG_FORMAT)\n");
      return 1;
    } else {                          /* ring full: push what is queued, wait for a free slot */
      kick(fd);
      unkicked = 0;
      struct pollfd p = {fd, POLLOUT, 0};
      poll(&p, 1, 10);
      if (now() >= deadline) break;
    }
  }
  /* Drain: kick until every frame is back to AVAILABLE (sent), for at most one second. */
  double end, drain_deadline = now() + 1;
  long long pending;
  do {
    kick(fd);
    pending = 0;
    for (unsigned i = 0; i < nframes; i++) {
      struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)i * FRAME_SIZE);
      if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) pending++;
    }
    end = now();
  } while (pending > 0 && end < drain_deadline);
  printf("sent=%lld seconds=%.3f pps=%.0f\n", queued - pending, end - start, (queued - pending) / (end - start));
  return 0;
}
