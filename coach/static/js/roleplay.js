// The role-play player in the browser: play the customer's line (audio made by the server), and record a reply.
// Each .recorder box records with its own buttons, level meter and status. The reply box (in #current) streams
// 16 kHz PCM to the server while the trainee speaks (an AudioWorklet), so the reply is mostly transcribed by Stop;
// a redo box (in a turn's "Redo this reply") records the same PCM and uploads it as one WAV at Stop, and its
// result goes into the box's data-result element. Where no AudioWorklet exists, MediaRecorder records and
// uploads at Stop (no level meter). Typing works without any of these.
(function () {
  "use strict";

  var MAX_SECONDS = 170; // the server refuses replies over three minutes
  var spoken = {};
  var take = null; // the reply being recorded: {box: element, stop: function}
  var timer = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function status(box, message) {
    var line = box && box.querySelector(".record-status");
    if (line) line.textContent = message;
  }

  function showLevel(box, peak) {
    var meter = box && box.querySelector(".level-meter");
    if (meter) meter.value = Math.min(1, Math.sqrt(peak)); // square root: quiet speech still moves it
  }

  function replyBox() {
    return document.querySelector("#current .recorder");
  }

  // --- the customer's voice ----------------------------------------------------------------

  function voiceStatus(message, failed) {
    var box = document.querySelector("#current .voice-status");
    if (!box) return;
    box.textContent = message;
    box.classList.toggle("voice-failed", Boolean(failed));
  }

  function playLine() {
    var audio = document.getElementById("customer-audio");
    if (!audio) return;
    if (audio.error) {
      voiceFailed();
      return;
    }
    audio.currentTime = 0;
    voiceStatus("Playing the customer's voice…");
    audio.play().catch(function (error) {
      if (error.name === "NotAllowedError") voiceStatus("The browser held the customer's voice back: press “Hear it again”.");
      else voiceFailed();
    });
  }

  function voiceFailed() {
    voiceStatus("The customer's voice could not be played: read the line above, or press “Hear it again” to retry.", true);
    var audio = document.getElementById("customer-audio");
    if (audio && audio.error) audio.load(); // "Hear it again" fetches it anew
  }

  function playNewLine() {
    var line = document.getElementById("customer-line");
    if (!line || line.getAttribute("data-channel") !== "voice") return;
    var id = line.getAttribute("data-line-id");
    if (spoken[id]) return;
    spoken[id] = true;
    playLine();
  }

  // error does not bubble: listen in the capture phase for the player's audio element
  document.addEventListener("error", function (event) {
    if (event.target && event.target.id === "customer-audio") voiceFailed();
  }, true);
  document.addEventListener("ended", function (event) {
    if (event.target && event.target.id === "customer-audio") voiceStatus("");
  }, true);

  // --- recording a reply -------------------------------------------------------------------

  function pendingReply() {
    return document.querySelector("#turns [data-reply-pending] .job:not(.job-failed), #turns [data-reply-pending] [hx-trigger='load']");
  }

  function refreshButtons() {
    document.querySelectorAll(".recorder").forEach(function (box) {
      var record = box.querySelector('[data-action="record"]');
      var stop = box.querySelector('[data-action="stop"]');
      if (!record || !stop) return;
      record.disabled = Boolean(take) || (box === replyBox() && Boolean(pendingReply()));
      stop.disabled = !take || take.box !== box;
    });
  }

  function startRecording(box) {
    if (take) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status(box, "This browser cannot record audio here. Type your reply instead.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var started = Date.now();
      var worklet = window.AudioWorkletNode && box.getAttribute("data-worklet-url");
      if (worklet && box.getAttribute("data-live-url")) take = streamedTake(box, stream);
      else if (worklet) take = wavTake(box, stream);
      else take = uploadedTake(box, stream);
      status(box, "Recording… 0 s");
      timer = setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        if (take) status(take.box, "Recording… " + seconds + " s");
        if (seconds >= MAX_SECONDS && take) stopRecording();
      }, 500);
      refreshButtons();
    }).catch(function (error) {
      status(box, "The microphone is not available (" + error.name + "). Allow it in the browser, or type your reply.");
    });
  }

  function stopRecording() {
    if (!take) return;
    var current = take;
    take = null;
    clearInterval(timer);
    showLevel(current.box, 0);
    current.stop();
    refreshButtons();
  }

  function takeFailed(box, error) {
    if (take && take.box === box) { take = null; clearInterval(timer); refreshButtons(); }
    status(box, error.message || "The recording could not be sent (network). Try again, or type your reply.");
  }

  function post(url, body, contentType) {
    var headers = { "X-CSRFToken": csrfToken(), "HX-Request": "true" };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: headers });
  }

  function refusal(response) {
    return response.text().then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      throw new Error(holder.textContent.trim() || "The recording was not accepted. Type your reply instead.");
    });
  }

  // The server's answer to a recording: a redo's progress replaces its result area; a reply's joins the turns.
  function showAnswer(box, html) {
    var result = box.getAttribute("data-result") && document.querySelector(box.getAttribute("data-result"));
    if (result) {
      result.innerHTML = html;
      htmx.process(result);
    } else {
      var turns = document.getElementById("turns");
      turns.insertAdjacentHTML("beforeend", html);
      htmx.process(turns.lastElementChild);
    }
    refreshButtons();
  }

  // The microphone as PCM pieces from the worklet, each with its peak for the level meter; onPiece gets them.
  function capturePcm(box, stream, onPiece, fail) {
    var context = new AudioContext({ sampleRate: 16000 });
    var node = null;
    var source = null;
    var stopped = false;
    var closed = false;

    function close() {
      if (closed) return;
      closed = true;
      stream.getTracks().forEach(function (track) { track.stop(); });
      if (source) source.disconnect();
      if (node) node.disconnect();
      context.close();
    }

    context.audioWorklet.addModule(box.getAttribute("data-worklet-url")).then(function () {
      source = context.createMediaStreamSource(stream);
      node = new AudioWorkletNode(context, "pcm-pieces");
      node.port.onmessage = function (event) {
        showLevel(box, event.data.peak);
        if (event.data.last) close();
        onPiece(event.data.samples, event.data.last);
      };
      source.connect(node);
      if (stopped) node.port.postMessage("flush");
    }).catch(function (error) { close(); fail(error); });

    return {
      rate: context.sampleRate,
      close: close,
      flush: function () {
        stopped = true;
        if (node) node.port.postMessage("flush");
      }
    };
  }

  // Streams PCM pieces in order as they come; at Stop sends the last one with final=1.
  function streamedTake(box, stream) {
    var waiting = [];  // pieces not sent yet (Int16Array)
    var sent = 0;       // bytes the server has
    var sending = null; // the request in flight
    var audioUrl = null;
    var ended = false;   // the worklet posted its last piece
    var failed = false;
    var capture = capturePcm(box, stream, function (samples, last) {
      if (samples.length) waiting.push(samples);
      if (last) ended = true;
      pump(last);
    }, fail);

    function fail(error) {
      if (failed) return;
      failed = true;
      capture.close();
      takeFailed(box, error);
    }

    function pump(last) {
      if (failed || sending || !audioUrl || (!waiting.length && !last)) return;
      var pieces = waiting;
      waiting = [];
      var body = new Blob(pieces, { type: "application/octet-stream" });
      var url = audioUrl + "?offset=" + sent + (last ? "&final=1" : "");
      sending = post(url, body, "application/octet-stream").then(function (response) {
        if (!response.ok) return refusal(response);
        sent += body.size;
        sending = null;
        if (last) {
          status(box, "Scoring your reply…");
          return response.text().then(function (html) { showAnswer(box, html); });
        }
        pump(ended);
      }).catch(fail);
    }

    post(box.getAttribute("data-live-url"), null).then(function (response) {
      if (!response.ok) return refusal(response);
      return response.json().then(function (job) { audioUrl = job.audio_url; pump(ended); });
    }).catch(fail);

    return {
      box: box,
      stop: function () {
        status(box, "Sending the end of your reply…");
        capture.flush();
      }
    };
  }

  // Records PCM with the level meter and uploads it as one 16-bit mono WAV at Stop.
  function wavTake(box, stream) {
    var pieces = [];
    var capture = capturePcm(box, stream, function (samples, last) {
      if (samples.length) pieces.push(samples);
      if (last) upload(box, wavBlob(pieces, capture.rate));
    }, function (error) { takeFailed(box, error); });
    return {
      box: box,
      stop: function () {
        status(box, "Finishing your recording…");
        capture.flush();
      }
    };
  }

  function wavBlob(pieces, rate) {
    var samples = pieces.reduce(function (total, piece) { return total + piece.length; }, 0);
    var header = new DataView(new ArrayBuffer(44));
    function text(offset, value) {
      for (var i = 0; i < value.length; i++) header.setUint8(offset + i, value.charCodeAt(i));
    }
    text(0, "RIFF");
    header.setUint32(4, 36 + samples * 2, true);
    text(8, "WAVE");
    text(12, "fmt ");
    header.setUint32(16, 16, true);       // size of the format block
    header.setUint16(20, 1, true);        // PCM
    header.setUint16(22, 1, true);        // mono
    header.setUint32(24, rate, true);
    header.setUint32(28, rate * 2, true); // bytes a second
    header.setUint16(32, 2, true);        // bytes a sample
    header.setUint16(34, 16, true);       // bits a sample
    text(36, "data");
    header.setUint32(40, samples * 2, true);
    return new Blob(samples ? [header.buffer].concat(pieces) : [], { type: "audio/wav" });
  }

  // MediaRecorder: the whole reply uploaded at Stop.
  function uploadedTake(box, stream) {
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    var type = "";
    for (var i = 0; i < types.length && !type; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(types[i])) type = types[i];
    }
    var chunks = [];
    var recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) chunks.push(event.data);
    });
    recorder.addEventListener("stop", function () {
      stream.getTracks().forEach(function (track) { track.stop(); });
      upload(box, new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" }));
    });
    recorder.start();
    return { box: box, stop: function () { if (recorder.state !== "inactive") recorder.stop(); } };
  }

  function upload(box, blob) {
    if (!blob.size) {
      status(box, "Nothing was recorded. Check the microphone and try again, or type your reply.");
      return;
    }
    status(box, "Sending your recording…");
    var form = new FormData();
    var extension = blob.type.indexOf("wav") >= 0 ? "wav" : blob.type.indexOf("ogg") >= 0 ? "ogg"
      : blob.type.indexOf("mp4") >= 0 ? "m4a" : "webm";
    form.append("audio", blob, "reply." + extension);
    post(box.getAttribute("data-upload-url"), form).then(function (response) {
      if (!response.ok) return refusal(response);
      status(box, "Transcribing your reply…");
      return response.text().then(function (html) { showAnswer(box, html); });
    }).catch(function (error) { takeFailed(box, error); });
  }

  // --- wiring ------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !document.getElementById("current")) return;
    var action = target.getAttribute("data-action");
    var box = target.closest(".recorder");
    if (action === "speak") playLine();
    if (action === "record" && box) startRecording(box);
    if (action === "stop" && take && take.box === box) stopRecording();
  });

  document.addEventListener("DOMContentLoaded", function () {
    playNewLine();
    refreshButtons();
  });

  // htmx:load fires for every piece of content htmx puts in the page (a scored turn, a job's progress, a redo).
  document.addEventListener("htmx:load", function (event) {
    var loaded = event.target;
    var redo = loaded.closest ? loaded.closest("details.redo") : null;
    if (redo) {
      var box = redo.querySelector(".recorder");
      if (loaded.matches(".redo-result")) status(box, "");
      else if (loaded.matches(".job-failed")) status(box, "Record it again, or type your new reply.");
    } else if (loaded.matches && loaded.matches("article.turn")) {
      document.querySelectorAll("#turns [data-reply-pending]").forEach(function (pending) {
        if (pending.querySelector(".job-failed")) pending.remove();
      });
      status(replyBox(), "");
    } else if (loaded.matches && loaded.matches(".job-failed")) {
      status(replyBox(), "Record again, or type your reply.");
    }
    playNewLine();
    refreshButtons();
  });
})();
