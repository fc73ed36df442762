"""The phone preview, switched on and off from the workbench while it runs.

``serve --lan`` decides at start; the officer, who never opens a terminal, turns the
same thing on in the workbench to look at the site in WeChat on their own phone, and
off again. It is a second listener on the local network serving the preview only —
never the workbench, which shows private fields — and only under a random token; the
one on 127.0.0.1 goes on as before. Both read the same rendering.
"""

from __future__ import annotations

import http.server
import secrets
import threading
from typing import Any

from ..workers import NOT_INHERITED
from .handler import make_handler
from .state import DevState


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on the local network, as its host name resolves."""
    import socket

    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    found = sorted({str(info[4][0]) for info in infos})
    return [a for a in found if not a.startswith("127.")]


class LanView:
    """The shared preview state, seen with the phone listener's own token and host names."""

    def __init__(self, state: DevState, token: str, hosts: set[str]) -> None:
        self._state, self.prefix, self.hosts = state, f"/{token}", hosts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state, name)


class PhonePreview:
    def __init__(self, state: DevState) -> None:
        self.state = state
        self.httpd: http.server.ThreadingHTTPServer | None = None
        self.view: LanView | None = None
        self.lock = threading.Lock()

    @property
    def addresses(self) -> list[str]:
        """The preview's addresses for a phone on the same network; empty when off."""
        if self.httpd is None or self.view is None:
            return []
        port = int(self.httpd.server_address[1])
        hosts = sorted(h for h in self.view.hosts if h not in ("localhost", "[::1]"))
        return [f"http://{h}:{port}{self.view.prefix}{self.state.base_path}" for h in hosts]

    def on(self) -> list[str]:
        """Start listening on the local network (a new token each time); the addresses.
        Empty if this computer has no address on a local network."""
        with self.lock:
            if self.httpd is not None:
                return self.addresses
            found = lan_addresses()
            if not found:
                return []
            self.view = LanView(self.state, secrets.token_urlsafe(12), set(found))
            handler = make_handler(self.view, None)  # type: ignore[arg-type]
            self.httpd = http.server.ThreadingHTTPServer(("0.0.0.0", 0), handler)
            NOT_INHERITED.add(self.httpd.socket.fileno())
            self.httpd.daemon_threads = True
            threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
            return self.addresses

    def off(self) -> None:
        with self.lock:
            if self.httpd is None:
                return
            self.httpd.shutdown()
            NOT_INHERITED.discard(self.httpd.socket.fileno())
            self.httpd.server_close()
            self.httpd, self.view = None, None
