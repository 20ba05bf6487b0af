/* LD_PRELOAD shim for running radar-rpc under valgrind 3.19 (Debian 12's).
 *
 * libdispatch's dispatch_main() (which Swift's async main ends in on Linux) parks the main
 * thread with sigsuspend() on a `static const sigset_t`, i.e. a mask in read-only memory.
 * valgrind 3.19's rt_sigsuspend wrapper sanitizes the mask IN PLACE (writes to it) and dies
 * with "VALGRIND INTERNAL ERROR ... SIGSEGV" before the program does anything. This shim
 * copies the mask to the stack first. Behaviour is unchanged; the main thread only ever
 * sleeps here, so instruction counts of the server are unaffected.
 *
 *   gcc -O2 -shared -fPIC -o vg_sigsuspend_shim.so vg_sigsuspend_shim.c
 *   LD_PRELOAD=$PWD/vg_sigsuspend_shim.so valgrind --tool=callgrind .build/release/radar-rpc
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
  sigset_t copy = *mask;
  return (int)syscall(SYS_rt_sigsuspend, &copy, (size_t)(_NSIG / 8));
}
