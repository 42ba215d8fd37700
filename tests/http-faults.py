#!/usr/bin/env python3
"""A local HTTP server for the download-fault tests: it serves ROOT and, for
the requests a fault file names, misbehaves the way a network does.

    http-faults.py ROOT PORTFILE FAULTS LOG

Listens on 127.0.0.1 on a free port, which it writes to PORTFILE once it
accepts connections.  FAULTS is read at every request; each line is

    SUFFIX MODE COUNT

and applies MODE to the next COUNT requests (-1: all of them) whose path ends
with SUFFIX; the first matching line with a count left wins, and its count
is written back.  MODE is one of
    cut      the headers announce the whole file, half the body is sent, then
             the connection is closed (FIN): "transfer closed with N bytes
             remaining"
    reset    the same, but the connection is reset (RST)
    short    the first half of the file, announced as the whole response
    corrupt  the whole file with one byte changed in the middle
    stall    the request is read and nothing is ever answered: the
             connection stays open until the client gives up
    stall-body  the headers announce the whole file, its first 1000 bytes
             are sent, then nothing more until the client gives up
    ok       served as it is
Every request is appended to LOG as "PATH MODE", followed by " auth=USER:PASSWORD"
when it carried HTTP Basic credentials (the test of credentials in URL=
checks that libcurl sends them while no message or file names them).
"""
import base64
import http.server
import os
import socket
import struct
import sys
import threading

ROOT, PORTFILE, FAULTS, LOG = sys.argv[1:5]
lock = threading.Lock()


def take_fault(path, auth=None):
    with lock:
        try:
            lines = open(FAULTS).read().split('\n')
        except FileNotFoundError:
            return 'ok'
        mode = 'ok'
        for i, line in enumerate(lines):
            f = line.split()
            if len(f) != 3 or not path.endswith(f[0]) or f[2] == '0':
                continue
            mode = f[1]
            if f[2] != '-1':
                lines[i] = '%s %s %d' % (f[0], f[1], int(f[2]) - 1)
            break
        with open(FAULTS + '.tmp', 'w') as o:
            o.write('\n'.join(lines))
        os.replace(FAULTS + '.tmp', FAULTS)
        with open(LOG, 'a') as o:
            o.write('%s %s%s\n' % (path, mode, ' auth=' + auth if auth else ''))
        return mode


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def wait_for_close(self):
        # the client sends nothing after its request: recv returns when it
        # closes the connection (or after 10 minutes, in case it never does)
        self.close_connection = True
        self.connection.settimeout(600)
        try:
            self.connection.recv(1)
        except OSError:
            pass

    def do_GET(self):
        path = self.path.split('?')[0]
        auth = self.headers.get('Authorization', '')
        auth = (base64.b64decode(auth[6:]).decode('utf-8', 'replace')
                if auth.startswith('Basic ') else None)
        mode = take_fault(path, auth)
        fs = os.path.realpath(os.path.join(ROOT, path.lstrip('/')))
        if not fs.startswith(os.path.realpath(ROOT) + '/') or not os.path.isfile(fs):
            self.send_error(404)
            return
        if mode == 'stall':
            self.wait_for_close()
            return
        data = open(fs, 'rb').read()
        length = len(data)
        if mode == 'corrupt':
            b = bytearray(data)
            b[len(b) // 2] ^= 0xff
            data = bytes(b)
        elif mode == 'short':
            data = data[:len(data) // 2]
            length = len(data)
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(length))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.close_connection = True
        if mode == 'stall-body':
            self.wfile.write(data[:1000])
            self.wfile.flush()
            self.wait_for_close()
            return
        if mode in ('cut', 'reset'):
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            if mode == 'reset':  # SO_LINGER 0: close(2) sends RST at once
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack('ii', 1, 0))
                os.close(self.connection.detach())
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = Server(('127.0.0.1', 0), Handler)
with open(PORTFILE + '.tmp', 'w') as f:
    f.write('%d\n' % srv.server_address[1])
os.replace(PORTFILE + '.tmp', PORTFILE)
srv.serve_forever()
