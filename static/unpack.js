// Unpacks the wasm (packed with xz by scripts/lib/pack_wasm.py) as it downloads, for
// WebAssembly's streaming compiler. The decoder, xz-decompress, is inlined just before this and
// hands out 64 KB at a time; between two pieces this gives the browser a task boundary, so the
// ~60 ms of unpacking never becomes one long task (a stream's pulls are promise reactions, which
// would otherwise all run in one task once the bytes are there).
self.unpackWasm = function (body) {
  function nextTask() {
    return new Promise(function (done) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () {
        done();
      };
      channel.port2.postMessage(0);
    });
  }
  return new self["xz-decompress"].XzReadableStream(body).pipeThrough(
    new TransformStream({
      transform: function (piece, out) {
        out.enqueue(piece);
        return nextTask();
      },
    }),
  );
};
