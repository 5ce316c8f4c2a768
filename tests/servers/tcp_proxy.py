"""A small threaded TCP proxy to simulate bad networks in tests.

Why: rural agencies lose connectivity mid-download; the sync engine must
resume after a connection cut in the middle of a FETCH. Cutting a real TCP
stream at a chosen byte offset is the honest way to test that (TLS passes
through untouched, so the client still verifies the server certificate;
connect to ``localhost``/``127.0.0.1``, which the test certificate covers).

    with TcpProxy("127.0.0.1", dovecot.imaps_port) as proxy:
        ... connect the client to proxy.port ...
        proxy.cut_after_bytes(50_000)   # next 50 kB server->client, then cut
        proxy.drop_all()                # cut every open connection now
        proxy.refuse_new(True)          # new connections are closed at once
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class _Conn:
    client: socket.socket
    upstream: socket.socket
    closed: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for s in (self.client, self.upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass


class TcpProxy:
    """127.0.0.1:<free port> -> target_host:target_port, one thread per direction."""

    CHUNK = 16 * 1024

    def __init__(self, target_host: str, target_port: int, *, latency: float = 0.0) -> None:
        self.target = (target_host, target_port)
        self.host = "127.0.0.1"
        self.latency = latency  # seconds added before each forwarded chunk
        self.bytes_down = 0  # server -> client, all connections
        self.bytes_up = 0  # client -> server
        self.connections = 0  # accepted so far
        self.cuts = 0  # connections cut by cut_after_bytes / drop_all
        self._lock = threading.Lock()
        self._conns: list[_Conn] = []
        self._cut_budget: int | None = None  # bytes downstream left before the cut
        self._refuse = False
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((self.host, 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -------------------------------------------------------------- lifecycle
    def start(self) -> TcpProxy:
        if self._thread is None:
            self._listener.listen(64)
            self._thread = threading.Thread(target=self._accept_loop, name=f"tcp-proxy-{self.port}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        # close() alone does not wake a thread blocked in accept() on Linux; shutdown() does.
        for op in (lambda: self._listener.shutdown(socket.SHUT_RDWR), self._listener.close):
            try:
                op()
            except OSError:
                pass
        self.drop_all(count_as_cut=False)
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- faults
    def cut_after_bytes(self, n: int) -> None:
        """One-shot: forward *n* more server->client bytes (any connection), then cut that connection."""
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._cut_budget = n

    def cancel_cut(self) -> None:
        with self._lock:
            self._cut_budget = None

    def drop_all(self, *, count_as_cut: bool = True) -> int:
        """Close every open connection now; returns how many were closed."""
        with self._lock:
            conns, self._conns = self._conns, []
        open_ones = [c for c in conns if not c.closed.is_set()]
        for c in open_ones:
            c.close()
        if count_as_cut:
            with self._lock:
                self.cuts += len(open_ones)
        return len(open_ones)

    def refuse_new(self, refuse: bool = True) -> None:
        """While set, accepted connections are closed immediately (server unreachable)."""
        self._refuse = refuse

    @property
    def open_connections(self) -> int:
        with self._lock:
            return sum(1 for c in self._conns if not c.closed.is_set())

    # -------------------------------------------------------------- internals
    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            if self._refuse:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Conn(client, upstream)
            with self._lock:
                self._conns = [c for c in self._conns if not c.closed.is_set()]
                self._conns.append(conn)
            threading.Thread(target=self._pump, args=(conn, upstream, client, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(conn, client, upstream, False), daemon=True).start()

    def _pump(self, conn: _Conn, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        try:
            while not conn.closed.is_set():
                data = src.recv(self.CHUNK)
                if not data:
                    break
                cut = False
                if downstream:
                    with self._lock:
                        if self._cut_budget is not None:
                            if len(data) >= self._cut_budget:
                                data = data[: self._cut_budget]
                                self._cut_budget = None
                                cut = True
                            else:
                                self._cut_budget -= len(data)
                        self.bytes_down += len(data)
                else:
                    with self._lock:
                        self.bytes_up += len(data)
                if self.latency:
                    time.sleep(self.latency)
                if data:
                    dst.sendall(data)
                if cut:
                    with self._lock:
                        self.cuts += 1
                    break
        except OSError:
            pass
        conn.close()
