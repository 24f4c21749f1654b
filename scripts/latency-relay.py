"""A TCP relay that delays every byte by a fixed one-way latency in each
direction, so that a loopback emulator answers with a network's round trip.

  latency-relay.py UPSTREAM_URL RTT_MS     prints the relay's URL, then relays
                                           until killed

Data is delayed, not throttled: each chunk read is written on after RTT/2,
in order, and reads go on meanwhile, so requests in flight overlap as they
would over a real link. Used by scripts/measure-snapshot.sh to compare
readers at the round trip a region away gives, where moto itself answers
at once.
"""

import asyncio
import sys
import urllib.parse


async def pump(reader, writer, delay):
    queue = asyncio.Queue()

    async def deliver():
        loop = asyncio.get_running_loop()
        while True:
            due, chunk = await queue.get()
            if chunk is None:
                break
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(chunk)
            await writer.drain()
        writer.close()

    delivery = asyncio.create_task(deliver())
    loop = asyncio.get_running_loop()
    try:
        while chunk := await reader.read(65536):
            queue.put_nowait((loop.time() + delay, chunk))
    except ConnectionError:
        pass
    queue.put_nowait((loop.time() + delay, None))
    try:
        await delivery
    except ConnectionError:
        pass


async def main(upstream, rtt_ms):
    target = urllib.parse.urlsplit(upstream)
    delay = rtt_ms / 2000.0

    async def accept(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(target.hostname, target.port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, up_writer, delay),
                             pump(up_reader, client_writer, delay))

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
