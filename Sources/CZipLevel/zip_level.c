#define _GNU_SOURCE
#include "zip_level.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* minizip's declarations (zip.h, from libminizip-dev), with its types spelled out:
 * zipFile is a pointer, uInt is unsigned int, uLong is unsigned long, ZPOS64_T is unsigned
 * long long. */
typedef int (*zip_open_fn)(void *file, const char *filename, const void *zipfi,
                           const void *extrafield_local, unsigned int size_extrafield_local,
                           const void *extrafield_global, unsigned int size_extrafield_global,
                           const char *comment, int method, int level, int raw, int windowBits,
                           int memLevel, int strategy, const char *password,
                           unsigned long crcForCrypting, unsigned long versionMadeBy,
                           unsigned long flagBase, int zip64);
typedef int (*zip_write_fn)(void *file, const void *buf, unsigned int len);
typedef int (*zip_close_fn)(void *file);
typedef int (*zip_close_raw_fn)(void *file, unsigned long long uncompressed_size, unsigned long crc32);

enum { zip_ok = 0, zip_deflated = 8, zip_internal_error = -104 };

static _Thread_local int level_on_thread = -1;
static _Thread_local int threads_on_thread = 1;
static _Thread_local size_t block_on_thread = 1 << 20;

int anxin_zip_set_level(int level) {
    int previous = level_on_thread;
    level_on_thread = level < -1 ? -1 : level > 9 ? 9 : level;
    return previous;
}

int anxin_zip_set_threads(int threads, int block_bytes) {
    int previous = threads_on_thread;
    threads_on_thread = threads < 1 ? 1 : threads > anxin_zip_max_threads ? anxin_zip_max_threads : threads;
    block_on_thread = block_bytes < 1024 ? 1024 : (size_t)block_bytes;
    return previous;
}

int anxin_zip_block_bytes(void) {
    return (int)block_on_thread;
}

/* libminizip's own function `name`, which this file's definitions hide from libxlsxwriter. */
static void *minizip_function(void **slot, const char *name) {
    void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (f == NULL) {
        f = dlsym(RTLD_NEXT, name);
        if (f == NULL) {
            /* Only a build that links minizip statically can get here: say so, and let the
             * workbook fail as a zip error. */
            fprintf(stderr, "anxin: libminizip's %s was not found: %s\n", name, dlerror());
            return NULL;
        }
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    }
    return f;
}

static void *open_slot, *write_slot, *close_slot, *close_raw_slot;

/* ---- Deflate in blocks, side by side ------------------------------------------------------
 *
 * An entry opened while a thread asks for more than one thread is opened raw: minizip writes
 * what it is given as the entry's compressed data, and is told the CRC and size at the close.
 * The data is cut into blocks; each is deflated on its own (pigz's way): primed with the 32 KiB
 * before it, ended with a sync flush (the last with the stream's end), so the blocks joined in
 * order are one deflate stream. Blocks are written to minizip in order, by the thread that
 * writes the entry; the bytes depend on the block size and level, not on the thread count. */

enum { dictionary_bytes = 32768 };
enum block_state { block_free, block_queued, block_working, block_done, block_failed };

struct block {
    unsigned char *in;
    size_t in_length;
    unsigned char dictionary[dictionary_bytes];
    size_t dictionary_length;
    unsigned char *out;
    size_t out_capacity, out_length;
    unsigned long crc;
    int final;
    enum block_state state;
};

struct entry {
    void *file;
    int level, mem_level, strategy, threads, slots;
    size_t block_bytes;
    struct block *blocks;
    /* Blocks handed to workers, taken by them, and written to minizip. */
    unsigned long long submitted, taken, written;
    /* The last 32 KiB of the data so far: the next block's dictionary. */
    unsigned char dictionary[dictionary_bytes];
    size_t dictionary_length;
    unsigned long long total_in;
    unsigned long crc;
    /* The first error: minizip's code, or zip_internal_error for the blocks' own failures
     * (memory, zlib). The workers and buffers are given back as soon as it is set. */
    int error;
    int stopping, workers_started;
    pthread_t workers[anxin_zip_max_threads];
    pthread_mutex_t lock;
    pthread_cond_t work_ready, work_done;
};

/* Entries opened in blocks, by the zip file they belong to: minizip keeps at most one entry
 * open per file, and an entry may be written and closed from any thread. */
enum { max_open_entries = 64 };
static pthread_mutex_t entries_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *open_entries[max_open_entries];

/* The entry open in `file`, taken out of the table when `take` is set. */
static struct entry *entry_of(void *file, int take) {
    struct entry *found = NULL;
    pthread_mutex_lock(&entries_lock);
    for (int i = 0; i < max_open_entries && found == NULL; i++) {
        if (open_entries[i] != NULL && open_entries[i]->file == file) {
            found = open_entries[i];
            if (take) open_entries[i] = NULL;
        }
    }
    pthread_mutex_unlock(&entries_lock);
    return found;
}

/* Takes `e` out of the table. */
static void entry_remove(struct entry *e) {
    pthread_mutex_lock(&entries_lock);
    for (int i = 0; i < max_open_entries; i++) {
        if (open_entries[i] == e) open_entries[i] = NULL;
    }
    pthread_mutex_unlock(&entries_lock);
}

/* Sets the file `e` belongs to, once minizip has opened it. */
static void entry_opened(struct entry *e, void *file) {
    pthread_mutex_lock(&entries_lock);
    e->file = file;
    pthread_mutex_unlock(&entries_lock);
}

/* Puts `e` in the table; 0 when the table is full. */
static int entry_add(struct entry *e) {
    int added = 0;
    pthread_mutex_lock(&entries_lock);
    for (int i = 0; i < max_open_entries && !added; i++) {
        if (open_entries[i] == NULL) {
            open_entries[i] = e;
            added = 1;
        }
    }
    pthread_mutex_unlock(&entries_lock);
    return added;
}

static int deflate_block(z_stream *stream, struct block *b) {
    if (deflateReset(stream) != Z_OK) return 0;
    if (b->dictionary_length > 0
        && deflateSetDictionary(stream, b->dictionary, (uInt)b->dictionary_length) != Z_OK) return 0;
    stream->next_in = b->in;
    stream->avail_in = (uInt)b->in_length;
    stream->next_out = b->out;
    stream->avail_out = (uInt)b->out_capacity;
    int rc = deflate(stream, b->final ? Z_FINISH : Z_SYNC_FLUSH);
    /* The output buffer has room for the worst case: everything fits in one call. */
    if (b->final ? rc != Z_STREAM_END : (rc != Z_OK || stream->avail_in != 0 || stream->avail_out == 0)) return 0;
    b->out_length = b->out_capacity - stream->avail_out;
    b->crc = crc32(0L, b->in, (uInt)b->in_length);
    return 1;
}

static int stream_init(z_stream *stream, const struct entry *e) {
    memset(stream, 0, sizeof *stream);
    return deflateInit2(stream, e->level, Z_DEFLATED, -MAX_WBITS, e->mem_level, e->strategy) == Z_OK;
}

static void *worker(void *context) {
    struct entry *e = context;
    z_stream stream;
    int ready = stream_init(&stream, e);
    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (!e->stopping && e->taken == e->submitted) pthread_cond_wait(&e->work_ready, &e->lock);
        if (e->taken == e->submitted) break;  /* stopping, nothing left */
        struct block *b = &e->blocks[e->taken % e->slots];
        e->taken += 1;
        b->state = block_working;
        pthread_mutex_unlock(&e->lock);
        int ok = ready && deflate_block(&stream, b);
        pthread_mutex_lock(&e->lock);
        b->state = ok ? block_done : block_failed;
        pthread_cond_broadcast(&e->work_done);
    }
    pthread_mutex_unlock(&e->lock);
    if (ready) deflateEnd(&stream);
    return NULL;
}

/* Stops the workers and gives back the blocks (the entry itself stays). */
static void entry_release(struct entry *e) {
    if (e->workers_started > 0) {
        pthread_mutex_lock(&e->lock);
        e->stopping = 1;
        pthread_cond_broadcast(&e->work_ready);
        pthread_mutex_unlock(&e->lock);
        for (int i = 0; i < e->workers_started; i++) pthread_join(e->workers[i], NULL);
        e->workers_started = 0;
    }
    if (e->blocks != NULL) {
        for (int i = 0; i < e->slots; i++) {
            free(e->blocks[i].in);
            free(e->blocks[i].out);
        }
        free(e->blocks);
        e->blocks = NULL;
    }
}

static void entry_free(struct entry *e) {
    entry_release(e);
    pthread_mutex_destroy(&e->lock);
    pthread_cond_destroy(&e->work_ready);
    pthread_cond_destroy(&e->work_done);
    free(e);
}

/* Records the entry's first error and gives back its workers and blocks at once: a caller
 * that stops writing after an error may never close the entry. Returns the error. */
static int entry_fail(struct entry *e, int error) {
    if (e->error == zip_ok) e->error = error;
    entry_release(e);
    return e->error;
}

/* Writes the oldest block to minizip once it is deflated; minizip's code, or
 * zip_internal_error when the block could not be deflated. */
static int write_oldest(struct entry *e) {
    struct block *b = &e->blocks[e->written % e->slots];
    pthread_mutex_lock(&e->lock);
    while (b->state == block_queued || b->state == block_working) pthread_cond_wait(&e->work_done, &e->lock);
    int ok = b->state == block_done;
    pthread_mutex_unlock(&e->lock);
    if (!ok) return zip_internal_error;
    zip_write_fn next = (zip_write_fn)minizip_function(&write_slot, "zipWriteInFileInZip");
    if (next == NULL) return zip_internal_error;
    int rc = next(e->file, b->out, (unsigned int)b->out_length);
    if (rc != zip_ok) return rc;
    e->crc = crc32_combine(e->crc, b->crc, (z_off_t)b->in_length);
    b->state = block_free;
    b->in_length = 0;
    e->written += 1;
    return zip_ok;
}

/* The block being filled (the one after the last submitted), once its slot is free; NULL
 * after recording an error. */
static struct block *filling(struct entry *e) {
    while (e->submitted - e->written >= (unsigned long long)e->slots) {
        int rc = write_oldest(e);
        if (rc != zip_ok) {
            entry_fail(e, rc);
            return NULL;
        }
    }
    struct block *b = &e->blocks[e->submitted % e->slots];
    if (b->in == NULL) {
        b->in = malloc(e->block_bytes);
        b->out_capacity = deflateBound(NULL, e->block_bytes) + 64;
        b->out = malloc(b->out_capacity);
        if (b->in == NULL || b->out == NULL) {
            entry_fail(e, zip_internal_error);
            return NULL;
        }
    }
    return b;
}

/* Hands the block being filled to the workers (deflates it here when there are none yet and it
 * is the whole entry). */
static int submit(struct entry *e, struct block *b, int final) {
    memcpy(b->dictionary, e->dictionary, e->dictionary_length);
    b->dictionary_length = e->dictionary_length;
    b->final = final;
    /* The next dictionary: the last 32 KiB of the old one followed by this block. */
    size_t n = b->in_length;
    if (n >= dictionary_bytes) {
        memcpy(e->dictionary, b->in + n - dictionary_bytes, dictionary_bytes);
        e->dictionary_length = dictionary_bytes;
    } else {
        size_t old = e->dictionary_length < dictionary_bytes - n ? e->dictionary_length : dictionary_bytes - n;
        memmove(e->dictionary, e->dictionary + e->dictionary_length - old, old);
        memcpy(e->dictionary + old, b->in, n);
        e->dictionary_length = old + n;
    }
    e->total_in += n;
    if (final && e->submitted == 0) {
        /* A small entry: one block, deflated on this thread. */
        z_stream stream;
        if (!stream_init(&stream, e)) return 0;
        int ok = deflate_block(&stream, b);
        deflateEnd(&stream);
        if (!ok) return 0;
        b->state = block_done;
        e->submitted = e->taken = 1;
        return 1;
    }
    pthread_mutex_lock(&e->lock);
    b->state = block_queued;
    e->submitted += 1;
    pthread_cond_signal(&e->work_ready);
    pthread_mutex_unlock(&e->lock);
    while (e->workers_started < e->threads) {
        if (pthread_create(&e->workers[e->workers_started], NULL, worker, e) != 0) break;
        e->workers_started += 1;
    }
    if (e->workers_started > 0) return 1;
    /* No thread to be had: the block is deflated here, one after the other. */
    z_stream stream;
    if (!stream_init(&stream, e)) return 0;
    e->taken += 1;
    int ok = deflate_block(&stream, b);
    deflateEnd(&stream);
    b->state = ok ? block_done : block_failed;
    return ok;
}

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64) {
    zip_open_fn next = (zip_open_fn)minizip_function(&open_slot, "zipOpenNewFileInZip4_64");
    if (next == NULL) return zip_internal_error;
    if (method == zip_deflated && level_on_thread != -1) level = level_on_thread;
    /* Blocks only for what they can write: a raw deflate stream, unencrypted. */
    struct entry *e = NULL;
    if (method == zip_deflated && !raw && password == NULL && windowBits == -MAX_WBITS && threads_on_thread > 1) {
        e = calloc(1, sizeof *e);
        if (e != NULL) {
            e->slots = 2 * threads_on_thread;
            e->blocks = calloc((size_t)e->slots, sizeof *e->blocks);
            /* Its file is set once minizip has opened the entry: an entry still open in the
             * same file is closed by minizip first, through zipCloseFileInZip below. */
            e->file = NULL;
            e->level = level;
            e->mem_level = memLevel;
            e->strategy = strategy;
            e->threads = threads_on_thread;
            e->block_bytes = block_on_thread;
            e->crc = crc32(0L, Z_NULL, 0);
            pthread_mutex_init(&e->lock, NULL);
            pthread_cond_init(&e->work_ready, NULL);
            pthread_cond_init(&e->work_done, NULL);
            /* No memory, or a full table: minizip deflates this entry as it does. */
            if (e->blocks == NULL || !entry_add(e)) {
                entry_free(e);
                e = NULL;
            }
        }
    }
    int rc = next(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                  size_extrafield_global, comment, method, level, raw || e != NULL, windowBits, memLevel,
                  strategy, password, crcForCrypting, versionMadeBy, flagBase, zip64);
    if (e != NULL) {
        if (rc == zip_ok) {
            entry_opened(e, file);
        } else {
            entry_remove(e);
            entry_free(e);
        }
    }
    return rc;
}

int zipWriteInFileInZip(void *file, const void *buf, unsigned int len) {
    struct entry *e = entry_of(file, 0);
    if (e == NULL) {
        zip_write_fn next = (zip_write_fn)minizip_function(&write_slot, "zipWriteInFileInZip");
        return next == NULL ? zip_internal_error : next(file, buf, len);
    }
    const unsigned char *bytes = buf;
    while (len > 0 && e->error == zip_ok) {
        struct block *b = filling(e);
        if (b == NULL) break;
        size_t room = e->block_bytes - b->in_length;
        size_t n = len < room ? len : room;
        memcpy(b->in + b->in_length, bytes, n);
        b->in_length += n;
        bytes += n;
        len -= (unsigned int)n;
        if (b->in_length == e->block_bytes && !submit(e, b, 0)) entry_fail(e, zip_internal_error);
    }
    return e->error;
}

int zipCloseFileInZip(void *file) {
    struct entry *e = entry_of(file, 1);
    if (e == NULL) {
        zip_close_fn next = (zip_close_fn)minizip_function(&close_slot, "zipCloseFileInZip");
        return next == NULL ? zip_internal_error : next(file);
    }
    if (e->error == zip_ok) {
        struct block *b = filling(e);
        if (b != NULL && !submit(e, b, 1)) entry_fail(e, zip_internal_error);
    }
    while (e->error == zip_ok && e->written < e->submitted) {
        int rc = write_oldest(e);
        if (rc != zip_ok) entry_fail(e, rc);
    }
    unsigned long long total = e->total_in;
    unsigned long crc = e->crc;
    int error = e->error;
    entry_free(e);
    zip_close_raw_fn close_raw = (zip_close_raw_fn)minizip_function(&close_raw_slot, "zipCloseFileInZipRaw64");
    if (close_raw == NULL) return zip_internal_error;
    /* minizip closes the entry either way, so the archive stays consistent; the first error
     * is the caller's. */
    int rc = close_raw(file, total, crc);
    return error != zip_ok ? error : rc;
}
