#!/usr/bin/env python3
# Print the DHCP, ARP and ssh (port 22) packets of a QEMU filter-dump pcap
# with their times: QEMU stamps them with its virtual clock, which under TCG
# is the host's wall clock; T0 (seconds since the epoch, optional) is
# subtracted, so that they compare with the bench's console line times.
# usage: net-events.py PCAP [T0]
import struct, sys
DHCP = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}
def ip(b): return ".".join(str(x) for x in b)
def main(path, t0=0.0):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(d):
        s, us, incl, orig = struct.unpack(e + "IIII", d[off:off + 16])
        p = d[off + 16: off + 16 + incl]
        off += 16 + incl
        t = s + us / (1e9 if nano else 1e6) - t0
        et = struct.unpack(">H", p[12:14])[0]
        what = None
        if et == 0x0806:
            op = struct.unpack(">H", p[20:22])[0]
            what = "ARP %s %s -> %s" % ("request" if op == 1 else "reply", ip(p[28:32]), ip(p[38:42]))
        elif et == 0x0800:
            ihl = (p[14] & 15) * 4
            proto = p[23]
            src, dst = ip(p[26:30]), ip(p[30:34])
            l4 = p[14 + ihl:]
            sp, dp = struct.unpack(">HH", l4[:4])
            if proto == 17 and {sp, dp} & {67, 68}:
                opts = l4[8 + 240:]
                mt = "?"
                i = 0
                while i < len(opts) and opts[i] != 255:
                    if opts[i] == 0: i += 1; continue
                    if opts[i] == 53: mt = DHCP.get(opts[i + 2], "?")
                    i += 2 + opts[i + 1]
                what = "DHCP %s %s -> %s" % (mt, src, dst)
            elif proto == 6 and 22 in (sp, dp):
                fl = l4[13]
                f = "".join(c for c, b in (("S", 2), ("A", 16), ("R", 4), ("F", 1), ("P", 8)) if fl & b)
                n = len(l4) - (l4[12] >> 4) * 4
                what = "TCP %s:%d -> %s:%d [%s] %d bytes" % (src, sp, dst, dp, f, n)
        if what:
            print("%8.3f  %s" % (t, what))
main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
