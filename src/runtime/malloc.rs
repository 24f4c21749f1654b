//! How the process asks glibc's allocator to behave. A console watching a
//! large fleet holds tens of megabytes for hours; the allocator's defaults
//! suit short-lived, allocation-heavy servers instead.

/// Makes every thread allocate from the one main arena. By default glibc
/// gives each new thread an arena of its own; the runtime's workers build
/// the answers that the main thread then keeps, so every worker's arena
/// ends up holding part of the fleet beside free space no other thread can
/// reuse (on the large fleet: two more arenas of 11 and 7 MB resident).
/// The console's few threads seldom allocate at the same moment, so the
/// shared arena's lock costs nothing measurable. Call before any thread
/// starts.
pub fn share_one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
