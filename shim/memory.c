/* Memory outside the shared heap: SharedBytes and the codec's big blocks.
 *
 * A block lives at one address for the whole process, so every thread makes
 * its own ArrayBuffer over it (bun:ffi toArrayBuffer) without any message:
 * a pool thread blocked in a task still resolves a block it has never seen.
 * Blocks of TIO_MEM_MAP_MIN bytes or more get a mapping of their own and
 * are given back to the kernel when freed; smaller ones come from calloc.
 *
 * Lifetime. A slot table names each block by (slot, generation); a handle
 * is gen * 2^20 + slot. `refs` counts the allocation itself (dropped by
 * tio_mem_free) plus one per JS ArrayBuffer made over the block (dropped by
 * tio_mem_unref, the ArrayBuffer's deallocator, when that thread's GC
 * collects it). The memory is released when refs reaches 0, so an
 * ArrayBuffer kept after free never points at unmapped memory; free
 * returns a mapped block's pages at once (MADV_DONTNEED), so RSS drops
 * even while a stale ArrayBuffer keeps the address range.
 *
 * Reuse. A fresh mapping costs a page fault per 4 KiB on first touch (a
 * 1 MiB task argument: ~650 µs of CPU to copy into a new mapping against
 * ~45 µs into a reused one). So released mappings of up to
 * TIO_MEM_CACHE_MAX_BLOCK bytes are kept for reuse by an allocation of the
 * same mapped length, at most TIO_MEM_CACHE_BLOCKS of them and
 * TIO_MEM_CACHE_MAX_BYTES in all; bigger ones always go back at once.
 *
 * Every field is written under one mutex. JS reads `gen` and `live`
 * without it (an aligned 32-bit load) to check a handle on each access:
 * free stores live = 0 and bumps gen before anything else. */
#include <sys/mman.h>

#define TIO_MEM_SLOT_BITS 20
#define TIO_MEM_SLOTS (1 << TIO_MEM_SLOT_BITS)
#define TIO_MEM_MAP_MIN (1 << 20)
#define TIO_MEM_MAX_LENGTH ((int64_t)1 << 47)
#define TIO_MEM_CACHE_BLOCKS 8
#define TIO_MEM_CACHE_MAX_BLOCK ((int64_t)8 << 20)
#define TIO_MEM_CACHE_MAX_BYTES ((int64_t)16 << 20)

typedef struct {
  volatile int32_t gen;  /* offset 0: read by JS */
  volatile int32_t live; /* offset 4: read by JS; 1 from alloc to free */
  int64_t length;        /* offset 8: bytes asked for */
  char *base;            /* offset 16 */
  int32_t refs;          /* offset 24 */
  int32_t next_free;     /* offset 28: free-slot list, 0 ends it */
} tio_mem_slot;

static pthread_mutex_t tio_mem_lock = PTHREAD_MUTEX_INITIALIZER;
static tio_mem_slot *tio_mem_slots;
static int32_t tio_mem_top = 1; /* slot 0 is never used */
static int32_t tio_mem_free_head;
/* Statistics: blocks and bytes live (allocated, not freed), bytes still
 * held (live, or freed but viewed by some thread), the high-water mark of
 * bytes held, allocations ever. */
static int64_t tio_mem_live_blocks, tio_mem_live_bytes, tio_mem_held_bytes, tio_mem_peak_bytes,
    tio_mem_allocs;
/* Released mappings kept for reuse (guarded by tio_mem_lock). */
static char *tio_mem_cache_base[TIO_MEM_CACHE_BLOCKS];
static int64_t tio_mem_cache_len[TIO_MEM_CACHE_BLOCKS];
static int32_t tio_mem_cache_count;
static int64_t tio_mem_cache_bytes;

static int64_t tio_mem_page(void) {
  static int64_t page;
  if (page == 0) page = sysconf(_SC_PAGESIZE);
  return page;
}

static int64_t tio_mem_mapped_length(int64_t length) {
  int64_t page = tio_mem_page();
  return (length + page - 1) / page * page;
}

/* The slot table (32 MiB of address space, touched as slots are used). */
void *tio_mem_table(void) {
  pthread_mutex_lock(&tio_mem_lock);
  if (tio_mem_slots == NULL) {
    void *p = mmap(NULL, (size_t)TIO_MEM_SLOTS * sizeof(tio_mem_slot), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) tio_mem_slots = (tio_mem_slot *)p;
  }
  pthread_mutex_unlock(&tio_mem_lock);
  return tio_mem_slots;
}

static tio_mem_slot *tio_mem_lookup(int64_t handle) {
  if (handle <= 0 || tio_mem_slots == NULL) return NULL;
  int64_t index = handle & (TIO_MEM_SLOTS - 1);
  int64_t gen = handle >> TIO_MEM_SLOT_BITS;
  if (index == 0 || index >= tio_mem_top) return NULL;
  tio_mem_slot *s = &tio_mem_slots[index];
  if (!s->live || s->gen != gen) return NULL;
  return s;
}

/* Keeps a released mapping for reuse if the cache has room; else unmaps. */
static void tio_mem_unmap(char *base, int64_t mapped) {
  if (mapped <= TIO_MEM_CACHE_MAX_BLOCK && tio_mem_cache_count < TIO_MEM_CACHE_BLOCKS &&
      tio_mem_cache_bytes + mapped <= TIO_MEM_CACHE_MAX_BYTES) {
    tio_mem_cache_base[tio_mem_cache_count] = base;
    tio_mem_cache_len[tio_mem_cache_count] = mapped;
    tio_mem_cache_count++;
    tio_mem_cache_bytes += mapped;
    return;
  }
  munmap(base, (size_t)mapped);
}

/* A cached mapping of exactly `mapped` bytes, or NULL. */
static char *tio_mem_reuse(int64_t mapped) {
  char *base = NULL;
  pthread_mutex_lock(&tio_mem_lock);
  for (int32_t i = tio_mem_cache_count - 1; i >= 0; i--) {
    if (tio_mem_cache_len[i] != mapped) continue;
    base = tio_mem_cache_base[i];
    tio_mem_cache_count--;
    tio_mem_cache_base[i] = tio_mem_cache_base[tio_mem_cache_count];
    tio_mem_cache_len[i] = tio_mem_cache_len[tio_mem_cache_count];
    tio_mem_cache_bytes -= mapped;
    break;
  }
  pthread_mutex_unlock(&tio_mem_lock);
  return base;
}

/* Gives every cached mapping back to the kernel. */
void tio_mem_trim(void) {
  pthread_mutex_lock(&tio_mem_lock);
  while (tio_mem_cache_count > 0) {
    tio_mem_cache_count--;
    munmap(tio_mem_cache_base[tio_mem_cache_count],
           (size_t)tio_mem_cache_len[tio_mem_cache_count]);
  }
  tio_mem_cache_bytes = 0;
  pthread_mutex_unlock(&tio_mem_lock);
}

static void tio_mem_release(tio_mem_slot *s, int32_t index) {
  if (s->length >= TIO_MEM_MAP_MIN) tio_mem_unmap(s->base, tio_mem_mapped_length(s->length));
  else free(s->base);
  tio_mem_held_bytes -= s->length;
  s->base = NULL;
  s->length = 0;
  s->next_free = tio_mem_free_head;
  tio_mem_free_head = index;
}

/* A block of `length` bytes, zeroed unless `zero` is 0 (the caller
 * overwrites all of it): its handle, or -errno. */
int64_t tio_mem_alloc(int64_t length, int64_t zero) {
  if (length < 0 || length > TIO_MEM_MAX_LENGTH) return -EINVAL;
  if (tio_mem_table() == NULL) return -ENOMEM;
  char *base;
  if (length >= TIO_MEM_MAP_MIN) {
    int64_t mapped = tio_mem_mapped_length(length);
    base = tio_mem_reuse(mapped);
    if (base != NULL) {
      if (zero) memset(base, 0, (size_t)length);
    } else {
      void *p = mmap(NULL, (size_t)mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
      if (p == MAP_FAILED) return -errno;
      base = (char *)p;
    }
  } else {
    base = (char *)calloc(1, length > 0 ? (size_t)length : 1);
    if (base == NULL) return -ENOMEM;
  }
  pthread_mutex_lock(&tio_mem_lock);
  int32_t index = tio_mem_free_head;
  if (index != 0) {
    tio_mem_free_head = tio_mem_slots[index].next_free;
  } else if (tio_mem_top < TIO_MEM_SLOTS) {
    index = tio_mem_top++;
  } else {
    if (length >= TIO_MEM_MAP_MIN) tio_mem_unmap(base, tio_mem_mapped_length(length));
    else free(base);
    pthread_mutex_unlock(&tio_mem_lock);
    return -EMFILE;
  }
  tio_mem_slot *s = &tio_mem_slots[index];
  int32_t gen = s->gen + 1;
  if (gen <= 0 || gen >= (1 << 30)) gen = 1;
  s->base = base;
  s->length = length;
  s->refs = 1;
  s->next_free = 0;
  s->gen = gen;
  s->live = 1;
  tio_mem_live_blocks++;
  tio_mem_live_bytes += length;
  tio_mem_held_bytes += length;
  if (tio_mem_held_bytes > tio_mem_peak_bytes) tio_mem_peak_bytes = tio_mem_held_bytes;
  tio_mem_allocs++;
  pthread_mutex_unlock(&tio_mem_lock);
  return (int64_t)gen << TIO_MEM_SLOT_BITS | index;
}

/* The block's address, counting one more reference (an ArrayBuffer the
 * caller makes with tio_mem_unref as its deallocator); NULL if the handle
 * is stale. */
void *tio_mem_view(int64_t handle) {
  pthread_mutex_lock(&tio_mem_lock);
  tio_mem_slot *s = tio_mem_lookup(handle);
  void *base = NULL;
  if (s != NULL) {
    s->refs++;
    base = s->base;
  }
  pthread_mutex_unlock(&tio_mem_lock);
  return base;
}

/* The block's address without a reference (the caller owns the block and
 * keeps no ArrayBuffer over it); NULL if the handle is stale. */
void *tio_mem_address(int64_t handle) {
  pthread_mutex_lock(&tio_mem_lock);
  tio_mem_slot *s = tio_mem_lookup(handle);
  void *base = s != NULL ? s->base : NULL;
  pthread_mutex_unlock(&tio_mem_lock);
  return base;
}

/* Ends the allocation: 0, or -EINVAL for a stale handle (freed twice). */
int64_t tio_mem_free(int64_t handle) {
  pthread_mutex_lock(&tio_mem_lock);
  tio_mem_slot *s = tio_mem_lookup(handle);
  if (s == NULL) {
    pthread_mutex_unlock(&tio_mem_lock);
    return -EINVAL;
  }
  int32_t index = (int32_t)(handle & (TIO_MEM_SLOTS - 1));
  s->live = 0;
  s->gen = s->gen + 1 >= (1 << 30) ? 1 : s->gen + 1;
  tio_mem_live_blocks--;
  tio_mem_live_bytes -= s->length;
  if (--s->refs == 0) {
    tio_mem_release(s, index);
  } else if (s->length >= TIO_MEM_MAP_MIN) {
    /* Views remain on some thread: keep the range, give back the pages. */
    madvise(s->base, (size_t)tio_mem_mapped_length(s->length), MADV_DONTNEED);
  }
  pthread_mutex_unlock(&tio_mem_lock);
  return 0;
}

/* The deallocator of every ArrayBuffer made over a block (JSC's
 * JSTypedArrayBytesDeallocator); `context` is the block's handle. May run
 * on any thread, during that thread's GC or when it exits. */
void tio_mem_unref(void *bytes, void *context) {
  (void)bytes;
  int32_t index = (int32_t)((intptr_t)context & (TIO_MEM_SLOTS - 1));
  pthread_mutex_lock(&tio_mem_lock);
  tio_mem_slot *s = &tio_mem_slots[index];
  if (--s->refs == 0) tio_mem_release(s, index);
  pthread_mutex_unlock(&tio_mem_lock);
}

void *tio_mem_unref_fn(void) { return (void *)tio_mem_unref; }

/* out: live blocks, live bytes, held bytes, peak held bytes, allocations,
 * bytes of released mappings kept for reuse. */
void tio_mem_stats(double *out) {
  pthread_mutex_lock(&tio_mem_lock);
  out[0] = (double)tio_mem_live_blocks;
  out[1] = (double)tio_mem_live_bytes;
  out[2] = (double)tio_mem_held_bytes;
  out[3] = (double)tio_mem_peak_bytes;
  out[4] = (double)tio_mem_allocs;
  out[5] = (double)tio_mem_cache_bytes;
  pthread_mutex_unlock(&tio_mem_lock);
}

/* Copies between JS memory and a block without an ArrayBuffer over the
 * block (making one for a megabyte costs ~30 µs of GC accounting). */
void tio_memcpy(void *dst, const void *src, int64_t n) {
  if (n > 0) memcpy(dst, src, (size_t)n);
}
