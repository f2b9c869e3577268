#!/usr/bin/python3
"""A stand-in SMTP relay for the API tests (tests/api/smtp_sink.c starts it).

    /usr/bin/python3 tests/smtp/sink.py DIR

Listens on 127.0.0.1 on a free port (aiosmtpd, Debian's python3-aiosmtpd) and writes:
  DIR/port    the port, once it accepts connections (written whole, via a rename)
  DIR/N.eml   message N (0, 1, 2 ... in arrival order): X-Envelope-From and one
              X-Envelope-To line per envelope recipient, then the raw message exactly as
              received (headers and body, CRLF line ends)
Recipients whose local part starts with "reject" get 550 (a permanent failure), those that
start with "tempfail" get 451 (a temporary one), so tests can drive both outcomes.
Exits 0 on SIGTERM or SIGINT, and by itself when its parent process goes away.
"""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class FreePortController(Controller):
    """Controller on port 0: learns the port the kernel chose before the self-check connect."""

    def _trigger_server(self):
        if self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.lock = threading.Lock()
        self.next = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such user here"
        if local.startswith("tempfail"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        head = "X-Envelope-From: <%s>\r\n" % envelope.mail_from
        for rcpt in envelope.rcpt_tos:
            head += "X-Envelope-To: <%s>\r\n" % rcpt
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        with self.lock:
            n = self.next
            self.next += 1
        tmp = os.path.join(self.folder, ".%d.tmp" % n)
        with open(tmp, "wb") as f:
            f.write(head.encode("utf-8") + raw)
        os.rename(tmp, os.path.join(self.folder, "%d.eml" % n))
        return "250 Message accepted for delivery"


def main():
    if len(sys.argv) != 2:
        print("usage: sink.py DIR", file=sys.stderr)
        return 2
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    parent = os.getppid()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())

    controller = FreePortController(Sink(folder), hostname="127.0.0.1", port=0)
    controller.start()
    tmp = os.path.join(folder, ".port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % controller.port)
    os.rename(tmp, os.path.join(folder, "port"))
    while not done.wait(0.2):
        if os.getppid() != parent:
            break
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
