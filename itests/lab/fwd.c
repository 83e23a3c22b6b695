/*
 * fwd: the floor of a user-space forwarder on this machine, the bench's "cfwd" peer. The same packet I/O as the
 * JVS core (an AF_PACKET TPACKET_V2 receive ring per interface with PACKET_IGNORE_OUTGOING, a TPACKET_V2 transmit
 * ring with qdisc bypass, poll(2) when idle, one sendto kick per batch, the same idle policy: spin 50 us after the
 * last frame at light load, nap 50 us when busy) but nothing else: no connection table, no scheduler, one
 * realserver, fixed MACs, stateless rewrites, no JVM. What JVS costs above this is JVS's; what this costs above
 * the kernel's own forwarding is the price of leaving the kernel at all.
 *
 *   fwd dr  IF VIP RS_MAC SECONDS
 *     frames to VIP (IPv4, to our MAC) leave IF again towards RS_MAC, VIP untouched (direct routing)
 *   fwd nat EXT INT VIP RS_IP RS_MAC CL_IP CL_MAC SECONDS
 *     TCP/UDP to VIP on EXT: destination rewritten to RS_IP, out of INT to RS_MAC;
 *     TCP/UDP from RS_IP to CL_IP on INT: source rewritten to VIP, out of EXT to CL_MAC (RFC 1624 checksums)
 *
 * Both answer ARP requests for VIP on the interface facing the client. Runs until SIGTERM/SIGINT or SECONDS,
 * then prints: rx=N tx=N arp=N ignored=N tx_full=N
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { FRAME_SIZE = 2048, BLOCK_SIZE = 1 << 16, SLOTS = 4096, TX_DATA = 32 };
enum { SPIN_NS = 50000, NAP_NS = 50000, BUSY_PPS = 20000, WINDOW_NS = 1000000 };

struct ring {
  int fd;
  uint8_t *map;
  unsigned next;
  int pending; /* transmit: frames written since the last kick */
};
struct port {
  int ifindex;
  uint8_t mac[6];
  struct ring rx, tx;
};

static volatile sig_atomic_t stop;
static unsigned long long n_rx, n_tx, n_arp, n_ignored, n_tx_full;

static void die(const char *what) { perror(what); exit(1); }
static void on_signal(int sig) { (void)sig; stop = 1; }

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void parse_mac(const char *s, uint8_t *mac) {
  if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
    fprintf(stderr, "fwd: bad MAC %s\n", s);
    exit(2);
  }
}

static uint32_t parse_ip(const char *s) {
  struct in_addr a;
  if (inet_pton(AF_INET, s, &a) != 1) {
    fprintf(stderr, "fwd: bad IPv4 address %s\n", s);
    exit(2);
  }
  return a.s_addr; /* network order, compared with the frame's bytes as they are */
}

static void ring_map(struct ring *r, int option) {
  struct tpacket_req req = {BLOCK_SIZE, SLOTS * FRAME_SIZE / BLOCK_SIZE, FRAME_SIZE, SLOTS};
  int v = TPACKET_V2;
  if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v)) die("PACKET_VERSION");
  if (option == PACKET_TX_RING) {
    v = 1;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &v, sizeof v)) die("PACKET_QDISC_BYPASS");
  } else {
    v = 1;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &v, sizeof v)) die("PACKET_IGNORE_OUTGOING");
  }
  if (setsockopt(r->fd, SOL_PACKET, option, &req, sizeof req)) die("PACKET_RX/TX_RING");
  r->map = mmap(NULL, (size_t)SLOTS * FRAME_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, 0);
  if (r->map == MAP_FAILED) die("mmap");
}

static void port_open(struct port *p, const char *name) {
  struct ifreq ifr = {0};
  struct sockaddr_ll sll = {0};
  p->ifindex = (int)if_nametoindex(name);
  if (!p->ifindex) die(name);
  p->rx.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  p->tx.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (p->rx.fd < 0 || p->tx.fd < 0) die("socket");
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  if (ioctl(p->rx.fd, SIOCGIFHWADDR, &ifr)) die("SIOCGIFHWADDR");
  memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
  ring_map(&p->rx, PACKET_RX_RING);
  ring_map(&p->tx, PACKET_TX_RING);
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = p->ifindex;
  sll.sll_protocol = htons(ETH_P_ALL);
  if (bind(p->rx.fd, (struct sockaddr *)&sll, sizeof sll)) die("bind rx");
  sll.sll_protocol = 0;
  if (bind(p->tx.fd, (struct sockaddr *)&sll, sizeof sll)) die("bind tx");
}

/* The next free transmit slot's data area, or NULL when the ring is full (the frame is then dropped). */
static uint8_t *tx_slot(struct ring *t) {
  struct tpacket2_hdr *h = (struct tpacket2_hdr *)(t->map + (size_t)t->next * FRAME_SIZE);
  if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
    n_tx_full++;
    return NULL;
  }
  return (uint8_t *)h + TX_DATA;
}

static void tx_commit(struct ring *t, unsigned len) {
  struct tpacket2_hdr *h = (struct tpacket2_hdr *)(t->map + (size_t)t->next * FRAME_SIZE);
  h->tp_len = len;
  __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
  t->next = (t->next + 1) % SLOTS;
  t->pending++;
  n_tx++;
}

static void tx_kick(struct ring *t) {
  if (t->pending) {
    sendto(t->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
    t->pending = 0;
  }
}

/* RFC 1624: the checksum at *sum after a 32-bit field changed from old to new (both network order). */
static void csum_replace4(uint8_t *sum, uint32_t old, uint32_t new) {
  uint32_t s = (uint16_t) ~(sum[0] << 8 | sum[1]);
  const uint8_t *o = (const uint8_t *)&old, *n = (const uint8_t *)&new;
  s += (uint16_t) ~(o[0] << 8 | o[1]) + (uint16_t) ~(o[2] << 8 | o[3]);
  s += (uint32_t)(n[0] << 8 | n[1]) + (uint32_t)(n[2] << 8 | n[3]);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  s = (uint16_t)~s;
  sum[0] = (uint8_t)(s >> 8);
  sum[1] = (uint8_t)s;
}

/* Rewrites the IPv4 address at ip + at (12 source, 16 destination) with its IP and TCP/UDP checksums. */
static void nat_rewrite(uint8_t *ip, unsigned ihl, int at, uint32_t addr) {
  uint32_t old;
  uint8_t *l4 = ip + ihl;
  memcpy(&old, ip + at, 4);
  memcpy(ip + at, &addr, 4);
  csum_replace4(ip + 10, old, addr);
  if (ip[9] == IPPROTO_TCP) {
    csum_replace4(l4 + 16, old, addr);
  } else if (l4[6] | l4[7]) { /* UDP: a zero checksum means none; a computed zero is sent as 0xffff */
    csum_replace4(l4 + 6, old, addr);
    if (!(l4[6] | l4[7])) l4[6] = l4[7] = 0xff;
  }
}

/* An ARP request for vip seen on p: answered from p's MAC. */
static void arp_reply(struct port *p, const uint8_t *f, unsigned len, uint32_t vip) {
  const uint8_t *a = f + 14;
  uint8_t *o;
  if (len < 42 || a[6] != 0 || a[7] != 1 || memcmp(a + 24, &vip, 4) || !(o = tx_slot(&p->tx))) return;
  memcpy(o, f + 6, 6);
  memcpy(o + 6, p->mac, 6);
  memcpy(o + 12, f + 12, 2);
  memcpy(o + 14, a, 6);      /* htype, ptype, hlen, plen */
  o[20] = 0, o[21] = 2;      /* reply */
  memcpy(o + 22, p->mac, 6); /* sha, spa */
  memcpy(o + 28, &vip, 4);
  memcpy(o + 32, a + 8, 10); /* tha, tpa: the asker */
  memset(o + 42, 0, 18);
  tx_commit(&p->tx, 60);
  n_arp++;
}

static struct {
  int nat;
  struct port ports[2]; /* dr: [0]; nat: [0] EXT, [1] INT */
  uint32_t vip, rs_ip, cl_ip;
  uint8_t rs_mac[6], cl_mac[6];
} cfg;

/* One received frame on ports[in]: forwarded, answered or ignored. */
static void handle(int in, const uint8_t *f, unsigned len) {
  struct port *p = &cfg.ports[in], *out;
  const uint8_t *to_mac;
  unsigned ihl;
  uint8_t *o;
  n_rx++;
  if (len >= 14 && f[12] == 0x08 && f[13] == 0x06 && in == 0) {
    arp_reply(p, f, len, cfg.vip);
    return;
  }
  if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4 || memcmp(f, p->mac, 6)) goto ignore;
  ihl = (f[14] & 15u) * 4;
  if (ihl < 20 || len < 14 + ihl + (f[23] == IPPROTO_TCP ? 20u : 8u)) goto ignore;
  if (cfg.nat && ((f[20] & 0x3f) | f[21])) goto ignore; /* a fragment: its L4 checksum may not be here */
  if (!cfg.nat) {
    if (memcmp(f + 30, &cfg.vip, 4)) goto ignore;
    out = p, to_mac = cfg.rs_mac;
  } else if (in == 0) {
    if (memcmp(f + 30, &cfg.vip, 4) || (f[23] != IPPROTO_TCP && f[23] != IPPROTO_UDP)) goto ignore;
    out = &cfg.ports[1], to_mac = cfg.rs_mac;
  } else {
    if (memcmp(f + 26, &cfg.rs_ip, 4) || memcmp(f + 30, &cfg.cl_ip, 4) ||
        (f[23] != IPPROTO_TCP && f[23] != IPPROTO_UDP))
      goto ignore;
    out = &cfg.ports[0], to_mac = cfg.cl_mac;
  }
  if (!(o = tx_slot(&out->tx))) return;
  memcpy(o, f, len);
  memcpy(o, to_mac, 6);
  memcpy(o + 6, out->mac, 6);
  if (cfg.nat) nat_rewrite(o + 14, ihl, in == 0 ? 16 : 12, in == 0 ? cfg.rs_ip : cfg.vip);
  tx_commit(&out->tx, len);
  return;
ignore:
  n_ignored++;
}

/* Serves every frame waiting in every receive ring, then kicks the transmit rings; returns the frames served. */
static unsigned pass(int nports) {
  unsigned n = 0;
  for (int i = 0; i < nports; i++) {
    struct ring *r = &cfg.ports[i].rx;
    for (;;) {
      struct tpacket2_hdr *h = (struct tpacket2_hdr *)(r->map + (size_t)r->next * FRAME_SIZE);
      if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) break;
      handle(i, (const uint8_t *)h + h->tp_mac, h->tp_snaplen);
      __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
      r->next = (r->next + 1) % SLOTS;
      n++;
    }
  }
  for (int i = 0; i < nports; i++) tx_kick(&cfg.ports[i].tx);
  return n;
}

static void nap(long ns) {
  struct timespec t = {0, ns};
  nanosleep(&t, NULL);
}

int main(int argc, char **argv) {
  int nports;
  double seconds;
  struct pollfd fds[2];
  uint64_t start, deadline, window, last = 0, frames_in_window = 0;
  int busy = 0, napped = 0;
  if (argc == 6 && !strcmp(argv[1], "dr")) {
    port_open(&cfg.ports[0], argv[2]);
    cfg.vip = parse_ip(argv[3]);
    parse_mac(argv[4], cfg.rs_mac);
    seconds = atof(argv[5]);
    nports = 1;
  } else if (argc == 10 && !strcmp(argv[1], "nat")) {
    cfg.nat = 1;
    port_open(&cfg.ports[0], argv[2]);
    port_open(&cfg.ports[1], argv[3]);
    cfg.vip = parse_ip(argv[4]);
    cfg.rs_ip = parse_ip(argv[5]);
    parse_mac(argv[6], cfg.rs_mac);
    cfg.cl_ip = parse_ip(argv[7]);
    parse_mac(argv[8], cfg.cl_mac);
    seconds = atof(argv[9]);
    nports = 2;
  } else {
    fprintf(stderr, "usage: fwd dr IF VIP RS_MAC SECONDS\n"
                    "       fwd nat EXT INT VIP RS_IP RS_MAC CL_IP CL_MAC SECONDS\n");
    return 2;
  }
  if (!(seconds > 0 && seconds <= 86400)) {
    fprintf(stderr, "fwd: SECONDS must be in (0, 86400]\n");
    return 2;
  }
  prctl(PR_SET_TIMERSLACK, NAP_NS / 10UL, 0, 0, 0); /* as the JVS worker: a nap of 50 us, not 50 + 50 */
  /* A session of its own, as bin/jvs gives the appliance: with sched_autogroup_enabled, a session is a scheduler
   * group, and a forwarder sharing the client's group (the harness starts both) was placed differently from JVS
   * (preempted after 0-25 % of its kicks against 71-99 %), which flattered its low-load latency. */
  if (setsid() < 0) perror("fwd: setsid (left in the caller's session)");
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  for (int i = 0; i < nports; i++) fds[i] = (struct pollfd){cfg.ports[i].rx.fd, POLLIN, 0};
  /* gratuitous ARP is not needed: the client asks, and the answer above is all it takes */
  start = window = now_ns();
  deadline = start + (uint64_t)(seconds * 1e9);
  fprintf(stderr, "fwd: forwarding (%s)\n", argv[1]);
  while (!stop) {
    unsigned n = pass(nports);
    uint64_t t = now_ns();
    if (t >= deadline) break;
    if (t - window >= WINDOW_NS) { /* the idle policy of the JVS worker (IdlePolicy): busy at >= BUSY_PPS */
      busy = t - window < 1000000000u && frames_in_window * 1000000000u >= (uint64_t)BUSY_PPS * (t - window);
      window = t, frames_in_window = 0;
    }
    if (n) {
      frames_in_window += n, last = t, napped = 0;
      continue;
    }
    if (busy) {
      if (!napped) {
        napped = 1;
        nap(NAP_NS);
        continue;
      }
    } else if (t - last < SPIN_NS) {
      __builtin_ia32_pause(); /* as Thread.onSpinWait */
      continue;               /* spin: pass again */
    }
    napped = 0;
    if (poll(fds, (nfds_t)nports, 100) < 0 && errno != EINTR) die("poll");
  }
  printf("rx=%llu tx=%llu arp=%llu ignored=%llu tx_full=%llu\n", n_rx, n_tx, n_arp, n_ignored, n_tx_full);
  return 0;
}
