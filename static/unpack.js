// Unpacks the wasm (packed with xz by scripts/lib/pack_wasm.py) as it downloads, for
// WebAssembly's streaming compiler. The decoder is xz-embedded built to wasm (from the npm
// package xz-decompress: MIT, and public domain), the file `self.xzDecoder` names
// (scripts/lib/postbuild.mjs); it is fetched now, beside the app's wasm. This drives its four
// exports as the package's own driver does: a context holds an input and an output buffer of
// `size` bytes, whose places and fill levels are the context's first six 32-bit words. Each
// pull hands out one output buffer (64 KB) and ends at a task boundary, so the ~60 ms of
// unpacking never becomes one long task.
(function () {
  var decoder = self.xzDecoder;
  var ready = fetch(decoder.url, { integrity: decoder.integrity })
    .then(function (response) {
      if (!response.ok) throw new Error(decoder.url + ": " + response.status);
      return response.arrayBuffer();
    })
    .then(function (bytes) {
      return WebAssembly.instantiate(bytes);
    })
    .then(function (module) {
      return module.instance.exports;
    });
  // A failure shows when the app's wasm is unpacked (the crash notice), not before.
  ready.catch(function () {});
  function nextTask() {
    return new Promise(function (done) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () {
        done();
      };
      channel.port2.postMessage(0);
    });
  }
  self.unpackWasm = function (body) {
    var reader = body.getReader();
    var xz, context, bytes, words;
    var left = new Uint8Array(0);
    // The views, again after the decoder's memory grew.
    function view() {
      if (!bytes || bytes.buffer !== xz.memory.buffer) {
        bytes = new Uint8Array(xz.memory.buffer, context);
        words = new Uint32Array(xz.memory.buffer, context);
      }
    }
    function input() {
      // [2] is how much of the input was read, [3] how much there was.
      if (words[2] !== words[3]) return Promise.resolve();
      var next = left.length ? Promise.resolve({ value: left }) : reader.read();
      return next.then(function (read) {
        // At the end of the download the decoder may still hold output: it is given nothing
        // more, and says an error if the bytes stopped short.
        var chunk = read.done ? new Uint8Array(0) : read.value;
        var size = Math.min(words[0], chunk.length);
        view();
        bytes.set(chunk.subarray(0, size), words[1] - context);
        xz.supply_input(context, size);
        left = chunk.subarray(size);
      });
    }
    return new ReadableStream({
      start: function () {
        return ready.then(function (exports) {
          xz = exports;
          context = xz.create_context();
          view();
        });
      },
      pull: function (out) {
        view();
        return input().then(function () {
          // 0: more to come, 1: the end; anything else is an error.
          var result = xz.get_next_output(context);
          view();
          if (result !== 0 && result !== 1) throw new Error("the wasm does not unpack (xz error " + result + ")");
          var start = words[4] - context;
          out.enqueue(bytes.slice(start, start + words[5]));
          words[5] = 0;
          if (result === 1) {
            xz.destroy_context(context);
            out.close();
          }
          return nextTask();
        });
      },
      cancel: function (why) {
        return reader.cancel(why);
      },
    });
  };
})();
