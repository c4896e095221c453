// Tasks this thread handed to the pool and nobody has consumed yet keep the
// thread's event loop alive (keep_alive.ts): a script that starts a task
// and never awaits it still sees it finish before the process exits, as a
// Worker or a socket would keep it alive. A future is released when it is
// awaited or canceled (its closure is freed then), or at the first tick
// after its task is done; a group when it is waited, or at the first tick
// after its last member finished.
import { hold, release, type Holder } from "../substrate/keep_alive.ts";
import { Closure, GroupLayout, GROUP_ONE_PENDING } from "../substrate/layout.ts";
import { IS_SET, UNSET, WAITING } from "../io/reset_event.ts";
import { reapRunnerOf } from "./reaper.ts";
import type { Threaded } from "./threaded.ts";
import { isLive } from "../substrate/handle.ts";
import { noteDone, noteGroupDone } from "./unseen_failures.ts";

/** Holds the loop until the task of `closure` is done or consumed. The
 * first tick that finds it running marks its DONE word WAITING and watches
 * it with an untimed waitAsync, so the finisher's wake releases it at once
 * (marking at dispatch instead would cost every task a wake syscall). */
export function holdTask(t: Threaded, closure: number): void {
  const heap = t.heap;
  const index = (closure + Closure.DONE) >> 2;
  let watching = false;
  const holder: Holder = {
    heap,
    poll: () => {
      if (t.inFlight.get(closure) !== holder) return false;
      if (Atomics.load(heap.i32, index) === IS_SET) {
        t.inFlight.delete(closure);
        noteDone(t, closure);
        return false;
      }
      reapRunnerOf(heap, closure, t.spawner);
      if (!watching) {
        watching = true;
        void watch(t, holder, closure, index);
      }
      return true;
    },
  };
  t.inFlight.set(closure, holder);
  hold(holder);
}

async function watch(t: Threaded, holder: Holder, closure: number, index: number): Promise<void> {
  const i32 = t.heap.i32;
  // Until released: once released the closure may be freed and reused, and
  // a resolution of this stale wait must not touch it.
  while (t.inFlight.get(closure) === holder) {
    const state = Atomics.compareExchange(i32, index, UNSET, WAITING);
    if (state === IS_SET) {
      releaseTask(t, closure);
      return noteDone(t, closure);
    }
    const r = Atomics.waitAsync(i32, index, WAITING);
    if (r.async) await r.value;
  }
}

/** Before the closure is freed: it may not be polled afterwards. */
export function releaseTask(t: Threaded, closure: number): void {
  const holder = t.inFlight.get(closure);
  if (holder === undefined) return;
  t.inFlight.delete(closure);
  release(holder);
}

/** Holds the loop while the group at `ref` has members in flight. */
export function holdGroup(t: Threaded, ref: number): void {
  const heap = t.heap;
  // The group may be waited and freed on another thread, whose release does
  // not reach this holder: the freed block's word then held the
  // allocator's data (8, "pending"), and the process never exited, even
  // after deinit. So a block that moved on (or a closed heap) releases,
  // and a hold left by an earlier group in the same block gives way to
  // this one's (kept, it released this group's hold at its next poll).
  const gen = heap.generation(ref);
  const held = t.inFlight.get(-ref) as GroupHolder | undefined;
  if (held !== undefined) {
    if (held.gen === gen) return;
    releaseTask(t, -ref);
  }
  const state = (ref + GroupLayout.STATE) >> 2;
  const holder: GroupHolder = {
    heap,
    gen,
    poll: () => {
      const live = isLive(heap, ref, gen);
      if (live && Atomics.load(heap.i32, state) >= GROUP_ONE_PENDING) return true;
      if (t.inFlight.get(-ref) === holder) t.inFlight.delete(-ref);
      if (live) noteGroupDone(t, ref, gen);
      return false;
    },
  };
  t.inFlight.set(-ref, holder); // negative keys: groups, beside closures
  hold(holder);
}

/** A group's hold, with the generation of the block it was taken for. */
export interface GroupHolder extends Holder {
  readonly gen: number;
}

export function releaseGroup(t: Threaded, ref: number): void {
  releaseTask(t, -ref);
}

/** Every hold of this instance, at its deinit: nothing it started is in
 * flight any more (or, detaching, this thread can no longer consume it). */
export function releaseAll(t: Threaded): void {
  for (const holder of t.inFlight.values()) release(holder);
  t.inFlight.clear();
}
