// The microphone as 16-bit PCM at the context's rate (16 kHz), posted in quarter-second pieces with their
// peak level, for the role-play player to stream while the trainee speaks. "flush" posts what is left.
class PcmPieces extends AudioWorkletProcessor {
  constructor() {
    super();
    this.piece = new Int16Array(4000);
    this.filled = 0;
    this.peak = 0;
    this.port.onmessage = (event) => { if (event.data === "flush") this.post(true); };
  }

  post(last) {
    const samples = this.piece.slice(0, this.filled);
    this.port.postMessage({ samples: samples, peak: this.peak, last: Boolean(last) }, [samples.buffer]);
    this.filled = 0;
    this.peak = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const value = Math.max(-1, Math.min(1, channel[i]));
      this.peak = Math.max(this.peak, Math.abs(value));
      this.piece[this.filled++] = value < 0 ? value * 32768 : value * 32767;
      if (this.filled === this.piece.length) this.post(false);
    }
    return true;
  }
}

registerProcessor("pcm-pieces", PcmPieces);
