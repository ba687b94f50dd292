/**
 * A TCP proxy that plays a bad mobile network between a browser and the
 * server, for tests (tests/upload-resume.test.ts) and the low-end bench
 * (bench/low-end.ts). It forwards bytes both ways and can cut connections:
 *
 * - `cutAtPatchBytes`: when the bytes of PATCH bodies forwarded so far (all
 *   connections together) reach each given total, it forwards exactly up to
 *   it and cuts that connection. The server gets those bytes and then the
 *   end of the stream, as when a phone loses its signal mid-upload.
 *   `cutAtPatchFractions`: the same, as fractions of the upload's declared
 *   length (X-Ombud-Upload-Length of the request that opens it).
 * - `cutEvery(ms)`: from then on, every open connection is cut each `ms`.
 * - `silently = true`: a cut from then on is silence instead: nothing more is
 *   forwarded either way and neither side hears of an end, as when a phone
 *   loses its signal without a word (the browser's bytes pile up unread until
 *   its socket is full). New connections work. `silenced` counts them.
 * - `armFractions(fractions)`: `cutAtPatchFractions` again, for the next
 *   upload opened.
 *
 * `origin`: the Origin header is replaced by this one (a server whose public
 * URL is its own address accepts the browser's requests through the proxy).
 *
 * `patchBodyBytes` counts the PATCH body bytes that reached the server: with
 * resumable uploads it ends equal to the file's size, however often the
 * upload was cut, plus at most one PATCH's bytes for each PATCH that did not
 * end in a 2xx (`patchRequests` − `answeredPatches`): a cut try, or one the
 * server refused (`refusedPatches`: answered 4xx, e.g. a 409 while it still
 * read a cut try). A refusal can also go unseen: a server that answers and
 * closes while the browser still sends makes the kernel reset the
 * connection, and the answer may be lost with it.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface CuttingProxy {
  url: string;
  /** Where to forward (the server's port), settable after the proxy listens (the server needs the proxy's URL). */
  target: number;
  patchBodyBytes: number;
  patchRequests: number;
  /** PATCH requests the server answered with a 4xx status (as far as the proxy saw the answer). */
  refusedPatches: number;
  /** PATCH requests the server answered with a 2xx status. */
  answeredPatches: number;
  cuts: number;
  /** Whether a cut from now on is silence rather than an end (see above). */
  silently: boolean;
  silenced: number;
  /** Cuts (or silences) at these fractions of the next upload opened, as `cutAtPatchFractions`. */
  armFractions(fractions: number[]): void;
  /** Cuts every open connection each `ms` from now on (0: stop). */
  cutEvery(ms: number): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  /** Header bytes of the request being read, until its blank line. */
  head: Buffer;
  /** Body bytes still to come of the current request, and whether it is a PATCH. */
  bodyLeft: number;
  patch: boolean;
  /** Whether the request whose answer comes next on this connection is a PATCH (browsers do not pipeline). */
  answering: boolean;
}

export async function startCuttingProxy(
  options: { cutAtPatchBytes?: number[]; cutAtPatchFractions?: number[]; origin?: string } = {},
): Promise<CuttingProxy> {
  const cutAt = [...(options.cutAtPatchBytes ?? [])].sort((a, b) => a - b);
  /** Fractions of the upload's declared length, resolved when the request that opens it is seen. */
  let fractions = [...(options.cutAtPatchFractions ?? [])].sort((a, b) => a - b);
  const pairs = new Set<Pair>();
  /** Connections gone silent: held open, unread, until the proxy closes. */
  const silent = new Set<Pair>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const cut = (pair: Pair) => {
    if (!pairs.delete(pair)) return;
    if (proxy.silently) {
      silent.add(pair);
      proxy.silenced += 1;
      pair.client.pause();
      pair.server.pause();
      return;
    }
    proxy.cuts += 1;
    pair.server.end(); // what was forwarded arrives, then the end of the stream
    pair.client.destroy();
  };

  /** Forwards client bytes, following requests on the connection to count PATCH bodies. */
  const forward = (pair: Pair, data: Buffer): void => {
    let rest = data;
    while (rest.length > 0 && pairs.has(pair)) {
      if (pair.bodyLeft > 0) {
        let take = Math.min(rest.length, pair.bodyLeft);
        if (pair.patch && cutAt.length > 0) take = Math.min(take, cutAt[0]! - proxy.patchBodyBytes);
        pair.server.write(rest.subarray(0, take));
        pair.bodyLeft -= take;
        if (pair.patch) proxy.patchBodyBytes += take;
        rest = rest.subarray(take);
        if (pair.patch && cutAt.length > 0 && proxy.patchBodyBytes >= cutAt[0]!) {
          cutAt.shift();
          cut(pair);
          return;
        }
        continue;
      }
      pair.head = Buffer.concat([pair.head, rest]);
      const end = pair.head.indexOf('\r\n\r\n');
      if (end < 0) return; // the head is forwarded whole, once read
      let headText = pair.head.subarray(0, end).toString('latin1');
      rest = pair.head.subarray(end + 4);
      pair.head = Buffer.alloc(0);
      if (options.origin) headText = headText.replace(/\r\norigin:[^\r]*/i, `\r\nOrigin: ${options.origin}`);
      pair.server.write(Buffer.from(`${headText}\r\n\r\n`, 'latin1'));
      pair.patch = headText.startsWith('PATCH ');
      pair.answering = pair.patch;
      if (pair.patch) proxy.patchRequests += 1;
      pair.bodyLeft = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1] ?? 0);
      const declared = /\r\nx-ombud-upload-length:\s*(\d+)/i.exec(headText);
      if (declared && fractions.length > 0) {
        cutAt.push(...fractions.map((f) => proxy.patchBodyBytes + Math.floor(Number(declared[1]) * f)));
        fractions = [];
      }
    }
  };

  const server = createServer((client) => {
    const upstream = connect(proxy.target, '127.0.0.1');
    const pair: Pair = { client, server: upstream, head: Buffer.alloc(0), bodyLeft: 0, patch: false, answering: false };
    pairs.add(pair);
    client.on('data', (data: Buffer) => forward(pair, data));
    upstream.on('data', (data: Buffer) => {
      if (!pairs.has(pair)) return;
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(data.subarray(0, 16).toString('latin1'));
      if (status && pair.answering) {
        pair.answering = false;
        if (status[1]!.startsWith('4')) proxy.refusedPatches += 1;
        if (status[1]!.startsWith('2')) proxy.answeredPatches += 1;
      }
      client.write(data);
    });
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // A silenced connection passes on nothing, not even its end.
    const unlessSilent = (then: () => void) => () => {
      if (!silent.has(pair)) then();
    };
    client.on('error', unlessSilent(close));
    upstream.on('error', unlessSilent(close));
    client.on('end', unlessSilent(() => upstream.end()));
    upstream.on('end', unlessSilent(() => client.end()));
    client.on('close', unlessSilent(() => upstream.end()));
    upstream.on('close', unlessSilent(() => client.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const proxy: CuttingProxy = {
    url: `http://127.0.0.1:${port}`,
    target: 0,
    patchBodyBytes: 0,
    patchRequests: 0,
    refusedPatches: 0,
    answeredPatches: 0,
    cuts: 0,
    silently: false,
    silenced: 0,
    armFractions(next) {
      fractions = [...next].sort((a, b) => a - b);
    },
    cutEvery(ms) {
      clearInterval(timer);
      timer = ms > 0 ? setInterval(() => [...pairs].forEach(cut), ms) : undefined;
    },
    close() {
      clearInterval(timer);
      for (const pair of [...pairs, ...silent]) {
        pair.client.destroy();
        pair.server.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
