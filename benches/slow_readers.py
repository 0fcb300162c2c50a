#!/usr/bin/env python3
"""Slow readers against `feedfold serve`: CLIENTS connections (4 KiB receive
buffers) each ask for a large feed with `Accept-Encoding: br` and never read a
byte, while `/healthz` is requested every 100 ms on fresh connections and the
server's resident memory is sampled. Prints the feed sizes, the server's
memory before, at its highest during and at the end, the `/healthz`
latencies, and how many of the silent clients the server had dropped by the
end. See SECURITY.md ("The server").

Usage: benches/slow_readers.py [--clients 100] [--mb 10] [--seconds 45]
                               [--encoding br] [--binary PATH] [--gen-dump PATH]

Without --binary it measures this tree's release binary (built first); with
--binary and --gen-dump it builds nothing.
Needs only Python 3 and cargo.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 18090


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def healthz_ms():
    """Milliseconds for a whole /healthz answer on a fresh connection, or None."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                answer += chunk
    except OSError:
        return None
    if not answer.startswith(b"HTTP/1.1 200"):
        return None
    return (time.monotonic() - started) * 1000


def healthz_body():
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def silent_client(encoding):
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    conn.connect(("127.0.0.1", PORT))
    accept = f"Accept-Encoding: {encoding}\r\n" if encoding != "identity" else ""
    conn.sendall(f"GET /feeds/news.rss HTTP/1.1\r\nHost: x\r\n{accept}\r\n".encode())
    return conn


def dropped(conn):
    """Whether the server closed `conn` (reading what is left to find out)."""
    conn.settimeout(0.5)
    try:
        while True:
            chunk = conn.recv(1 << 20)
            if not chunk:
                return True
    except ConnectionResetError:
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--mb", type=int, default=10, help="size of the RSS feed, about")
    parser.add_argument("--seconds", type=int, default=45)
    parser.add_argument("--encoding", default="br")
    parser.add_argument("--binary")
    parser.add_argument("--gen-dump")
    parser.add_argument("--data", default=os.path.join(ROOT, "target/bench-data/slow-readers"))
    args = parser.parse_args()

    # One build for both (as the other serving benchmarks do), so that
    # neither rebuilds the other.
    if not (args.binary and args.gen_dump):
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "feedfold", "--example", "gen_dump"], cwd=ROOT, check=True
        )
    gen_dump = args.gen_dump or os.path.join(ROOT, "target/release/examples/gen_dump")
    binary = args.binary or os.path.join(ROOT, "target/release/feedfold")
    data = args.data
    os.makedirs(os.path.join(data, "dumps"), exist_ok=True)
    # About 3.6 KB of RSS per generated article.
    articles = max(2, args.mb * 1_000_000 // 3600)
    dump = os.path.join(data, "dumps", f"news-{articles}.txt")
    if not os.path.exists(dump):
        for old in os.listdir(os.path.join(data, "dumps")):
            os.remove(os.path.join(data, "dumps", old))
        subprocess.run(
            [gen_dump, "--articles", str(articles), dump],
            check=True,
        )
    config = os.path.join(data, "config.toml")
    with open(config, "w") as out:
        out.write(
            f'[store]\npath = "feedfold.db"\n\n[publish]\ndir = "feeds"\n'
            f'base_url = "http://127.0.0.1:{PORT}"\n\n[server]\nbind = "127.0.0.1:{PORT}"\n\n'
            f'[schedule]\ninterval = "1d"\n\n[[source]]\nname = "bench"\ntext = "dumps/*.txt"\n\n'
            f'[[feed]]\nname = "news"\ntitle = "Large feed"\nlimit = {min(articles, 10000)}\n'
        )
    subprocess.run([binary, "run", "--quiet", "--config", config], check=True)
    sizes = {ext: os.path.getsize(os.path.join(data, "feeds", f"news.{ext}")) for ext in ("rss", "atom", "json")}

    log = open(os.path.join(data, "serve.log"), "w")
    started = time.monotonic()
    server = subprocess.Popen([binary, "serve", "--config", config], stdout=subprocess.PIPE, stderr=log)
    try:
        line = server.stdout.readline().decode()
        if "serving on" not in line:
            sys.exit(f"feedfold serve did not start: {line!r}")
        threading.Thread(target=server.stdout.read, daemon=True).start()
        startup = time.monotonic() - started
        # The first cycle (reading the dump again, republishing) runs at
        # start; measure after it.
        while b'"starting"' in healthz_body():
            time.sleep(0.5)
        time.sleep(1)
        before = rss_kib(server.pid)

        clients = [silent_client(args.encoding) for _ in range(args.clients)]
        latencies, failures, memory, slow = [], 0, [], []
        opened = time.monotonic()
        deadline = opened + args.seconds
        while time.monotonic() < deadline:
            took = healthz_ms()
            if took is None:
                failures += 1
            else:
                latencies.append(took)
                if took > 100:
                    slow.append(f"{took:.0f} ms at {time.monotonic() - opened:.1f} s")
            memory.append(rss_kib(server.pid))
            time.sleep(0.1)
        gone = sum(dropped(conn) for conn in clients)
        end = rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait()

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    print()
    print(f"binary: {binary}")
    print(
        "feeds: " + ", ".join(f"news.{ext} {size / 1e6:.1f} MB" for ext, size in sizes.items())
        + f" ({sum(sizes.values()) / 1e6:.1f} MB rendered); serve started in {startup:.1f} s"
    )
    print(
        f"{args.clients} silent clients, Accept-Encoding: {args.encoding}, {args.seconds} s; "
        f"/healthz every 100 ms on a fresh connection"
    )
    print(
        f"server RSS: before {before / 1024:.0f} MiB, highest during {max(memory) / 1024:.0f} MiB, "
        f"at the end {end / 1024:.0f} MiB"
    )
    if latencies:
        print(
            f"/healthz: {len(latencies)} answered, {failures} failed or timed out (10 s); "
            f"median {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms"
        )
    else:
        print(f"/healthz: none answered, {failures} failed or timed out (10 s)")
    print(f"/healthz over 100 ms: {len(slow)}" + (f" ({', '.join(slow)})" if slow else ""))
    print(f"silent clients dropped by the server by the end: {gone} of {args.clients}")


if __name__ == "__main__":
    main()
