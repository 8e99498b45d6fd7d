//! Frames at the pace of the screen: the shell around [`crate::core::pacing`].
//!
//! The backend wakes the window after every event (see [`crate::core::waker::Waker`]). The waker
//! here asks egui for a frame at most once per display refresh and at most ten times a
//! second ([`crate::core::pacing::EVENT_INTERVAL`]), so a flood of events or many busy
//! conversations cost a bounded number of frames, and a lone message after a quiet spell
//! is still drawn at once. The app stamps the start of every pass (logic-only
//! passes too, so events keep being drained while the window is minimised); events are
//! never held back, only the frames that show them.
//!
//! With [`Frames::new`]'s `stats`, a named thread prints, at most every 100 ms and only
//! when something changed, `turnchat: frames N peer_drawn_unix_ns T frame_us U` on
//! standard output: the frames drawn so far, when the last frame that showed new peer
//! bytes finished its egui pass (wall clock, so another process can compare it with when
//! it wrote them), and eframe's measure of the last frame's own cost (egui pass,
//! tessellation and painting, not the wait for vsync). A counter in an atomic and a line
//! from another thread keep the measurement off the UI thread: no I/O per frame. 100 ms,
//! not a second, because a 200 MB flood lasts only a few tenths of a second; the bench
//! interpolates between lines. Idle, nothing changes and nothing is printed.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{RecvTimeoutError, Sender};
use eframe::egui;

use crate::core::pacing::{self, Wake};
use crate::core::waker::Waker;

/// How often the display's refresh rate is read again (it changes when the window moves
/// to another monitor; reading it costs a round trip to the display server).
const REFRESH_RECHECK: Duration = Duration::from_secs(5);

/// How often the statistics line may be printed.
const STATS_INTERVAL: Duration = Duration::from_millis(100);

/// What the waker (network threads) and the window (UI thread) share.
struct Shared {
    ctx: egui::Context,
    epoch: Instant,
    /// When the last pass started, in ns since `epoch`, plus one (0: no pass yet).
    pass_stamp: AtomicU64,
    /// The `pass_stamp` for which a frame has been asked for (0: none).
    asked_for: AtomicU64,
    /// The display's refresh period, in ns.
    period_ns: AtomicU64,
    /// Frames drawn (`ui()` passes).
    frames: AtomicU64,
    /// Wall clock (ns since the Unix epoch) at the end of the last frame that showed new
    /// peer bytes.
    peer_drawn_unix_ns: AtomicU64,
    /// eframe's cost of the last frame it reported, in µs.
    frame_us: AtomicU64,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn stamp_pass(&self) {
        // +1 keeps 0 free for "no pass yet"; SeqCst orders it before the pass drains the
        // event channel, so an event whose wake-up read an older stamp is drained.
        self.pass_stamp
            .store(self.now_ns().saturating_add(1), Ordering::SeqCst);
    }
}

/// Asks for frames at the pace of [`pacing::decide`]; see the module docs.
struct PacedWaker(Arc<Shared>);

impl Waker for PacedWaker {
    fn wake(&self) {
        self.0.ask_for_frame();
    }
}

impl Shared {
    /// Asks egui for a frame at the pace of the screen (see [`pacing::decide`]).
    fn ask_for_frame(&self) {
        let stamp = self.pass_stamp.load(Ordering::SeqCst);
        let last_pass = stamp.checked_sub(1);
        let asked = last_pass.is_some() && self.asked_for.load(Ordering::SeqCst) == stamp;
        let period = Duration::from_nanos(self.period_ns.load(Ordering::Relaxed));
        let wake = pacing::decide(self.now_ns(), last_pass, asked, period);
        if wake == Wake::AlreadyAsked
            // Of several threads racing here, only the first asks egui.
            || (last_pass.is_some() && self.asked_for.swap(stamp, Ordering::SeqCst) == stamp)
        {
            return;
        }
        match wake {
            // Not `request_repaint()`: in egui a zero delay also forces the frame after,
            // unpaced. The frame that settles what moved is asked for by the app instead
            // (`Frames::frame_ended`), one refresh later.
            Wake::Now => self.ctx.request_repaint_after(Duration::from_nanos(1)),
            Wake::After(delay) => self.ctx.request_repaint_after(delay),
            Wake::AlreadyAsked => {}
        }
    }
}

/// Frame pacing and statistics for one window.
pub struct Frames {
    shared: Arc<Shared>,
    refresh_checked: Option<Instant>,
    /// When the last frame started (UI thread only).
    last_frame: Option<Instant>,
    /// Whether this frame came after a refresh or more without frames.
    after_quiet: bool,
    /// Whether the last frame asked for a frame to settle it: that next frame never asks
    /// for another on the same grounds, so slow frames cannot chain into a loop.
    settling: bool,
    /// The newest peer bytes a frame has shown (see [`Frames::drawn`]).
    shown_mark: Option<(usize, usize)>,
    stats: Option<StatsThread>,
}

impl Frames {
    /// Paces frames of `ctx`; with `stats`, prints frame statistics (see the module docs).
    pub fn new(ctx: &egui::Context, stats: bool) -> Self {
        let shared = Arc::new(Shared {
            ctx: ctx.clone(),
            epoch: Instant::now(),
            pass_stamp: AtomicU64::new(0),
            asked_for: AtomicU64::new(0),
            period_ns: AtomicU64::new(
                u64::try_from(pacing::DEFAULT_PERIOD.as_nanos()).unwrap_or(16_666_666),
            ),
            frames: AtomicU64::new(0),
            peer_drawn_unix_ns: AtomicU64::new(0),
            frame_us: AtomicU64::new(0),
        });
        let stats = if stats {
            StatsThread::start(Arc::clone(&shared))
        } else {
            None
        };
        Frames {
            shared,
            refresh_checked: None,
            last_frame: None,
            after_quiet: false,
            settling: false,
            shown_mark: None,
            stats,
        }
    }

    /// The waker to give the backend and the jobs.
    pub fn waker(&self) -> Arc<dyn Waker> {
        Arc::new(PacedWaker(Arc::clone(&self.shared)))
    }

    /// Call at the start of every pass, before draining events (`App::logic`).
    pub fn pass_started(&self) {
        self.shared.stamp_pass();
    }

    /// Call at the start of every frame, before draining events (`App::ui`): stamps the
    /// pass, counts the frame, and now and then reads the display's refresh rate.
    pub fn frame_started(&mut self, frame: &eframe::Frame) {
        self.shared.stamp_pass();
        let now = Instant::now();
        let period = Duration::from_nanos(self.shared.period_ns.load(Ordering::Relaxed));
        self.after_quiet = !std::mem::take(&mut self.settling)
            && self
                .last_frame
                .is_none_or(|last| now.duration_since(last) >= period);
        self.last_frame = Some(now);
        self.shared.frames.fetch_add(1, Ordering::Relaxed);
        if let Some(cost) = frame.info().cpu_usage {
            self.shared
                .frame_us
                .store((f64::from(cost) * 1e6) as u64, Ordering::Relaxed);
        }
        if self
            .refresh_checked
            .is_none_or(|at| at.elapsed() >= REFRESH_RECHECK)
        {
            self.refresh_checked = Some(Instant::now());
            let millihertz = frame
                .winit_window()
                .and_then(|w| w.current_monitor())
                .and_then(|m| m.refresh_rate_millihertz());
            let period = pacing::refresh_period(millihertz);
            self.shared.period_ns.store(
                u64::try_from(period.as_nanos()).unwrap_or(u64::MAX),
                Ordering::Relaxed,
            );
        }
    }

    /// Call at the end of a frame with a mark of the newest peer bytes in the shown
    /// conversation (entries, length of the last one; `None` when the last entry is not
    /// the peer's) and whether the end of that conversation is in view. The first frame
    /// that shows a new mark is recorded for the statistics.
    pub fn drawn(&mut self, peer_mark: Option<(usize, usize)>, end_in_view: bool) {
        if peer_mark.is_some() && peer_mark != self.shown_mark && end_in_view {
            self.shown_mark = peer_mark;
            let unix_ns = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
            self.shared
                .peer_drawn_unix_ns
                .store(unix_ns, Ordering::Relaxed);
        }
    }

    /// Call at the end of a frame: `needs_frame` when what it drew moved at its end (a
    /// view's rows were measured, a scroll area stuck to a new bottom). Asks for one more
    /// frame, one refresh later, then; and always after a frame that followed a quiet
    /// spell, which is drawn at once and may need settling (egui's own answer, a second
    /// frame right away, would not be paced).
    pub fn frame_ended(&mut self, needs_frame: bool) {
        if needs_frame || self.after_quiet {
            self.settling = self.after_quiet;
            self.shared.ask_for_frame();
        }
    }

    /// Frames drawn so far.
    pub fn count(&self) -> u64 {
        self.shared.frames.load(Ordering::Relaxed)
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        self.stats.take();
    }
}

/// The thread that prints the statistics line; stopped and joined on drop.
struct StatsThread {
    stop: Option<Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

impl StatsThread {
    fn start(shared: Arc<Shared>) -> Option<Self> {
        let (stop, stopped) = crossbeam_channel::bounded::<()>(0);
        let handle = std::thread::Builder::new()
            .name("frame-stats".to_owned())
            .spawn(move || {
                let mut printed = None;
                loop {
                    match stopped.recv_timeout(STATS_INTERVAL) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                    let line = (
                        shared.frames.load(Ordering::Relaxed),
                        shared.peer_drawn_unix_ns.load(Ordering::Relaxed),
                        shared.frame_us.load(Ordering::Relaxed),
                    );
                    if printed != Some(line) {
                        printed = Some(line);
                        // Not println!, which panics when nobody reads standard output
                        // any more; then there is nobody to tell, and the thread ends.
                        let written = writeln!(
                            std::io::stdout(),
                            "turnchat: frames {} peer_drawn_unix_ns {} frame_us {}",
                            line.0,
                            line.1,
                            line.2
                        );
                        if written.is_err() {
                            return;
                        }
                    }
                }
            })
            .ok()?;
        Some(StatsThread {
            stop: Some(stop),
            handle: Some(handle),
        })
    }
}

impl Drop for StatsThread {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
