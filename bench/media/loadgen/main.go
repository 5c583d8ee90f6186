// Command loadgen is the listener side of `lk load-test` (livekit-cli), which the Go module proxy
// here refuses to serve: N subscribe-only participants in one LiveKit room, each auto-subscribed to
// every audio track, counting the RTP packets and bytes that reach it. Built on the SDK lk load-test
// itself uses (github.com/livekit/server-sdk-go/v2): v2.19.0, because v2.20.0 builds only with
// LiveKit's fork of pion/webrtc, which it pulls in through a `replace` the proxy refuses as well.
//
// It reads one access token per line on stdin and joins one listener per token (so the caller
// mints them, with the app's own listener grant: subscribe only, hidden). "stop" or the end of
// stdin disconnects everyone and exits. Every -every it prints one JSON line on stdout:
//
//	joined, joining, failed, disconnected   listeners by state
//	receiving                               listeners that got at least one packet in the interval
//	complete                                listeners that got packets on at least -expect tracks
//	packets, bytes, gaps                    RTP packets and bytes received in the interval; gaps:
//	                                        sequence numbers skipped (lost, or not yet retransmitted)
//	firstPacketMs                           connect → first RTP packet, for listeners whose first
//	                                        packet arrived in the interval
//
//	loadgen -url ws://127.0.0.1:7880 -expect 10 < tokens.txt
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	protoLogger "github.com/livekit/protocol/logger"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
)

type track struct {
	packets, bytes, gaps atomic.Int64
	seen                 [3]int64 // packets, bytes, gaps at the last report (under reportMu)
}

type listener struct {
	started     time.Time
	firstPacket atomic.Int64 // unix ms of the first RTP packet, 0 before
	firstSeen   bool         // under reportMu
	mu          sync.Mutex
	tracks      []*track
	room        *lksdk.Room
}

type report struct {
	At            int64   `json:"at"`
	Joined        int     `json:"joined"`
	Joining       int64   `json:"joining"`
	Failed        int64   `json:"failed"`
	Disconnected  int64   `json:"disconnected"`
	Receiving     int     `json:"receiving"`
	Complete      int     `json:"complete"`
	Tracks        int     `json:"tracks"`
	Packets       int64   `json:"packets"`
	Bytes         int64   `json:"bytes"`
	Gaps          int64   `json:"gaps"`
	FirstPacketMs []int64 `json:"firstPacketMs"`
}

var (
	url         = flag.String("url", "ws://127.0.0.1:7880", "LiveKit signalling URL")
	expect      = flag.Int("expect", 1, "audio tracks a listener must receive to count as complete")
	every       = flag.Duration("every", time.Second, "report interval")
	concurrency = flag.Int("c", 16, "joins in flight at once")

	mu, reportMu                  sync.Mutex
	listeners                     []*listener
	joining, failed, disconnected atomic.Int64
	errorsShown                   atomic.Int64
)

func main() {
	flag.Parse()
	debug.SetGCPercent(400) // memory is cheap here; collections pause the reading goroutines
	lksdk.SetLogger(protoLogger.LogRLogger(logr.Discard()))
	slots := make(chan struct{}, *concurrency)
	done := make(chan struct{})
	go func() {
		last := time.Now()
		for range time.Tick(*every) {
			// After a stall the ticker can fire twice in a row: the second interval would be empty.
			now := time.Now()
			if now.Sub(last) < *every/2 {
				continue
			}
			last = now
			emit(collect())
		}
	}()
	go func() {
		scanner := bufio.NewScanner(os.Stdin)
		scanner.Buffer(make([]byte, 64*1024), 64*1024)
		for scanner.Scan() {
			line := strings.TrimSpace(scanner.Text())
			if line == "stop" {
				break
			}
			if line == "" {
				continue
			}
			slots <- struct{}{}
			joining.Add(1)
			go func(token string) {
				defer func() { <-slots }()
				join(token)
			}(line)
		}
		close(done)
	}()
	<-done
	mu.Lock()
	all := append([]*listener(nil), listeners...)
	mu.Unlock()
	for _, l := range all {
		l.room.Disconnect()
	}
	emit(collect())
}

func join(token string) {
	l := &listener{started: time.Now()}
	callback := lksdk.NewRoomCallback()
	callback.OnTrackSubscribed = func(remote *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, _ *lksdk.RemoteParticipant) {
		if remote.Kind() != webrtc.RTPCodecTypeAudio {
			return
		}
		t := &track{}
		l.mu.Lock()
		l.tracks = append(l.tracks, t)
		l.mu.Unlock()
		go consume(l, t, remote)
	}
	callback.OnDisconnected = func() { disconnected.Add(1) }
	room, err := lksdk.ConnectToRoomWithToken(*url, token, callback, lksdk.WithAutoSubscribe(true))
	joining.Add(-1)
	if err != nil {
		failed.Add(1)
		if errorsShown.Add(1) <= 5 {
			fmt.Fprintln(os.Stderr, "join failed:", err)
		}
		return
	}
	l.room = room
	mu.Lock()
	listeners = append(listeners, l)
	mu.Unlock()
}

// consume reads RTP until the track ends, as lk load-test's subscribers do (no decoding), into
// one buffer and reading only the sequence number: no allocation per packet here.
func consume(l *listener, t *track, remote *webrtc.TrackRemote) {
	buf := make([]byte, 1500)
	var last uint16
	for started := false; ; started = true {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		seq := binary.BigEndian.Uint16(buf[2:4])
		if skipped := seq - last - 1; started && skipped > 0 && skipped < 1000 {
			t.gaps.Add(int64(skipped))
		}
		last = seq
		t.packets.Add(1)
		t.bytes.Add(int64(n))
		l.firstPacket.CompareAndSwap(0, time.Now().UnixMilli())
	}
}

func collect() report {
	reportMu.Lock()
	defer reportMu.Unlock()
	mu.Lock()
	all := append([]*listener(nil), listeners...)
	mu.Unlock()
	r := report{At: time.Now().UnixMilli(), Joined: len(all), Joining: joining.Load(), Failed: failed.Load(),
		Disconnected: disconnected.Load(), FirstPacketMs: []int64{}}
	for _, l := range all {
		if first := l.firstPacket.Load(); first != 0 && !l.firstSeen {
			l.firstSeen = true
			r.FirstPacketMs = append(r.FirstPacketMs, first-l.started.UnixMilli())
		}
		l.mu.Lock()
		tracks := append([]*track(nil), l.tracks...)
		l.mu.Unlock()
		flowing := 0
		for _, t := range tracks {
			now := [3]int64{t.packets.Load(), t.bytes.Load(), t.gaps.Load()}
			if now[0] > t.seen[0] {
				flowing++
			}
			r.Packets += now[0] - t.seen[0]
			r.Bytes += now[1] - t.seen[1]
			r.Gaps += now[2] - t.seen[2]
			t.seen = now
		}
		r.Tracks += len(tracks)
		if flowing > 0 {
			r.Receiving++
		}
		if flowing >= *expect {
			r.Complete++
		}
	}
	return r
}

func emit(r report) {
	line, _ := json.Marshal(r)
	fmt.Println(string(line))
}
