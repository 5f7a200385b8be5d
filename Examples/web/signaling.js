// Shared by sender.html and receiver.html: open the signalling WebSocket on
// the page's own host, in the room named by ?room= (the default room if none).
'use strict';

function signalingURL() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const room = new URLSearchParams(location.search).get('room');
  return `${scheme}://${location.host}/` + (room ? `?room=${encodeURIComponent(room)}` : '');
}

function roomName() {
  return new URLSearchParams(location.search).get('room') || 'default';
}

// Shows a line in the page's status box and keeps it for tests in window.statusLog.
function showStatus(text) {
  window.statusLog = window.statusLog || [];
  window.statusLog.push(text);
  const box = document.getElementById('status');
  if (box) box.textContent = text;
}

// Candidates that arrive before the remote description are held, then added.
class CandidateQueue {
  constructor() { this.pending = []; }
  async add(pc, candidate) {
    if (!candidate) return; // the end-of-candidates marker needs no action
    if (!pc || !pc.remoteDescription) { this.pending.push(candidate); return; }
    try {
      await pc.addIceCandidate(candidate);
    } catch (e) {
      console.warn('addIceCandidate failed', e);
      window.candidateErrors = (window.candidateErrors || []).concat([`${e}`]);
    }
  }
  async flush(pc) {
    const held = this.pending;
    this.pending = [];
    for (const candidate of held) await this.add(pc, candidate);
  }
}

// The ICE servers the signalling server hands out (its "ice-servers"
// message, which comes before "registered"); none until then.
window.handedOutIceServers = [];

// The RTCPeerConnection configuration: the handed-out ICE servers, and
// ?policy=relay for relay-only calls.
function rtcConfiguration() {
  const policy = new URLSearchParams(location.search).get('policy') === 'relay' ? 'relay' : 'all';
  return { iceServers: window.handedOutIceServers, iceTransportPolicy: policy };
}

// Keeps the ICE servers of an "ice-servers" message; true if it was one.
function takeIceServers(message) {
  if (message.type !== 'ice-servers') return false;
  window.handedOutIceServers = Array.isArray(message.iceServers) ? message.iceServers : [];
  return true;
}
