#define _GNU_SOURCE
#include "tmpfile_buffer.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* libxlsxwriter's own lxw_tmpfile, which the definition below hides from the library (it calls
 * it through its procedure linkage table, as it calls minizip). */
typedef FILE *(*lxw_tmpfile_fn)(char *tmpdir);

/* A workbook's temporary-directory string, by the token it was registered under. */
struct workbook {
    const char *tmpdir;
    unsigned long token;
    int closing;  /* workbook_close has begun: new files are parts of the package */
    int error;    /* the first error of any of its files */
    int fail;     /* tests: the errno every later write of its files fails with */
    unsigned long long not_copied; /* bytes of sheets' rows its parts read from the rows' files */
    struct workbook *next;
};

/* A run of a stream's content: bytes of its own file, or bytes of another stream's file that
 * were copied into it and are read from there instead. */
struct segment {
    off_t length;
    struct stream *source;  /* NULL: the stream's own file */
    off_t offset;           /* where the run starts in the file it is read from */
};

/* A block written behind, waiting for the writer thread. */
struct block {
    struct stream *stream;
    off_t offset;
    size_t length;
    char *bytes;
    struct block *next;
};

/* One temporary file of a registered workbook, behind a cookie stream (see the header). */
struct stream {
    unsigned long token;
    FILE *real;      /* libxlsxwriter's own temporary file: owns the descriptor */
    int fd;
    int part;        /* made during the close: a part of the package, maybe a sheet's */
    char *stdio;     /* the stream's stdio buffer */
    /* Content. */
    struct segment *segments;
    size_t count, capacity;
    off_t size;      /* bytes of content */
    off_t written;   /* bytes of the stream's own file */
    off_t position;  /* where the next read starts */
    /* Writes behind, on a thread of the stream's own (made by the thread that first writes, so
     * of its priority), and the first error of one. */
    struct block *queue_head, *queue_tail;
    int in_flight;
    struct block *free_blocks;
    pthread_t writer;
    int writer_running, writer_stop;
    int error;
    int library_closed;  /* libxlsxwriter closed it */
    int readers;         /* parts whose content runs through its file */
    FILE *cookie;        /* the stream libxlsxwriter was given */
    struct stream *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct workbook *workbooks; /* the latest registration first */
static struct stream *streams;
static unsigned long last_token;

/* A sheet's rows being copied into its part, on this thread (see the header). */
static _Thread_local struct {
    struct stream *source; /* the sheet's row file, being read from its start */
    struct stream *target; /* the part the copy goes to, once known */
    off_t copied;          /* bytes of the source found in the part so far */
} copy;

enum { blocks_per_stream = 4 };


unsigned long anxin_tmpfile_register(const char *tmpdir) {
    if (tmpdir == NULL) return 0;
    struct workbook *w = malloc(sizeof *w);
    if (w == NULL) return 0;
    pthread_mutex_lock(&lock);
    w->tmpdir = tmpdir;
    w->token = ++last_token;
    w->closing = 0;
    w->error = 0;
    w->fail = 0;
    w->not_copied = 0;
    w->next = workbooks;
    workbooks = w;
    pthread_mutex_unlock(&lock);
    return w->token;
}

/* The workbook registered as `token`, or NULL. Call holding the lock. */
static struct workbook *workbook_of(unsigned long token) {
    for (struct workbook *w = workbooks; w != NULL; w = w->next) {
        if (w->token == token) return w;
    }
    return NULL;
}

/* Keeps the first error of a workbook's files. Call holding the lock. */
static void note_error(struct stream *s) {
    struct workbook *w = workbook_of(s->token);
    if (w != NULL && w->error == 0 && s->error != 0) w->error = s->error;
}

void anxin_tmpfile_fail_writes(unsigned long token, int error) {
    pthread_mutex_lock(&lock);
    struct workbook *w = workbook_of(token);
    if (w != NULL) w->fail = error;
    pthread_mutex_unlock(&lock);
}

void anxin_tmpfile_closing(unsigned long token) {
    pthread_mutex_lock(&lock);
    for (struct workbook *w = workbooks; w != NULL; w = w->next) {
        if (w->token == token) w->closing = 1;
    }
    pthread_mutex_unlock(&lock);
}

/* MARK: Writing behind */

static void *writer_main(void *context) {
    struct stream *s = context;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (s->queue_head == NULL && !s->writer_stop) pthread_cond_wait(&changed, &lock);
        struct block *b = s->queue_head;
        if (b == NULL) break;
        s->queue_head = b->next;
        if (s->queue_head == NULL) s->queue_tail = NULL;
        struct workbook *w = workbook_of(s->token);
        int error = w != NULL ? w->fail : 0;
        pthread_mutex_unlock(&lock);
        for (size_t done = 0; error == 0 && done < b->length;) {
            ssize_t n = pwrite(s->fd, b->bytes + done, b->length - done, b->offset + (off_t)done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                error = n < 0 ? errno : EIO;
                break;
            }
            done += (size_t)n;
        }
        pthread_mutex_lock(&lock);
        if (error != 0 && s->error == 0) s->error = error;
        b->next = s->free_blocks;
        s->free_blocks = b;
        s->in_flight -= 1;
        pthread_cond_broadcast(&changed);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Waits until every block of `s` is written and its writer thread has ended. Call holding the
 * lock; it is let go while the thread ends. */
static void stop_writer(struct stream *s) {
    if (!s->writer_running) return;
    s->writer_stop = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    pthread_join(s->writer, NULL);
    pthread_mutex_lock(&lock);
    s->writer_running = 0;
    s->writer_stop = 0;
}

/* Writes `length` bytes at the end of the stream's own file, on this thread. */
static int write_own(struct stream *s, const char *bytes, size_t length) {
    struct workbook *w = workbook_of(s->token);
    if (w != NULL && w->fail != 0) {
        s->error = w->fail;
        return -1;
    }
    for (size_t done = 0; done < length;) {
        ssize_t n = pwrite(s->fd, bytes + done, length - done, s->written + (off_t)done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            s->error = n < 0 ? errno : EIO;
            return -1;
        }
        done += (size_t)n;
    }
    s->written += (off_t)length;
    return 0;
}

/* Adds `length` bytes of `source` at `offset` (NULL: of the stream's own file) to the content. */
static int append(struct stream *s, struct stream *source, off_t offset, off_t length) {
    if (s->count > 0) {
        struct segment *last = &s->segments[s->count - 1];
        if (last->source == source && last->offset + last->length == offset) {
            last->length += length;
            s->size += length;
            return 0;
        }
    }
    if (s->count == s->capacity) {
        size_t capacity = s->capacity == 0 ? 8 : s->capacity * 2;
        struct segment *grown = realloc(s->segments, capacity * sizeof *grown);
        if (grown == NULL) {
            s->error = ENOMEM;
            return -1;
        }
        s->segments = grown;
        s->capacity = capacity;
    }
    s->segments[s->count++] = (struct segment){.length = length, .source = source, .offset = offset};
    if (source != NULL) source->readers += 1;
    s->size += length;
    return 0;
}

/* MARK: The copy of a sheet's rows */

/* How many of `bytes` are, from the first, the bytes of `source`'s file from `offset` on. */
static size_t matching(struct stream *source, off_t offset, const char *bytes, size_t length) {
    if (offset >= source->written) return 0;
    if ((off_t)length > source->written - offset) length = (size_t)(source->written - offset);
    char scratch[16384];
    size_t done = 0;
    while (done < length) {
        size_t want = length - done < sizeof scratch ? length - done : sizeof scratch;
        ssize_t n = pread(source->fd, scratch, want, offset + (off_t)done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (memcmp(scratch, bytes + done, (size_t)n) != 0) {
            size_t i = 0;
            while (scratch[i] == bytes[done + i]) i++;
            return done + i;
        }
        done += (size_t)n;
    }
    return done;
}

/* Where, in `bytes`, `source`'s content begins and runs to the end of `bytes` or of the content
 * (-1: nowhere). The head of the content is looked for, then the rest compared. */
static ssize_t copy_start(struct stream *source, const char *bytes, size_t length) {
    char head[64];
    size_t h = source->written < (off_t)sizeof head ? (size_t)source->written : sizeof head;
    ssize_t got;
    do got = pread(source->fd, head, h, 0); while (got < 0 && errno == EINTR);
    if (h == 0 || got != (ssize_t)h) return -1;
    for (const char *at = bytes; (at = memmem(at, length - (size_t)(at - bytes), head, h)) != NULL; at++) {
        size_t rest = length - (size_t)(at - bytes);
        size_t want = (off_t)rest < source->written ? rest : (size_t)source->written;
        if (matching(source, 0, at, want) == want) return at - bytes;
    }
    return -1;
}

/* Writes `length` bytes to the stream's own file and adds them to its content. */
static int keep(struct stream *s, const char *bytes, size_t length) {
    if (length == 0) return 0;
    off_t at = s->written;
    if (write_own(s, bytes, length) != 0) return -1;
    return append(s, NULL, at, (off_t)length);
}

/* MARK: The cookie functions */

/* stdio's contract: a write callback reports an error by returning 0, with errno set. */
static ssize_t stream_write(void *cookie, const char *bytes, size_t length) {
    struct stream *s = cookie;
    pthread_mutex_lock(&lock);
    ssize_t result = (ssize_t)length;
    if (s->error != 0) {
        errno = s->error;
        result = 0;
    } else if (s->position != s->size) {
        /* libxlsxwriter writes its temporary files from start to end, then reads them. */
        errno = s->error = EINVAL;
        result = 0;
    } else if (s->part) {
        /* While a sheet's rows are copied into this part, the bytes that are those rows, next in
         * order, are read from the rows' file instead: the rows' head is looked for first. */
        struct stream *source = copy.source;
        size_t from = 0;
        if (source != NULL && copy.target == NULL) {
            ssize_t start = copy_start(source, bytes, length);
            if (start >= 0) {
                copy.target = s;
                from = (size_t)start;
            }
        }
        size_t found = 0;
        if (source != NULL && copy.target == s) {
            found = matching(source, copy.copied, bytes + from, length - from);
            if (from + found < length) copy.source = NULL; /* the rows are over: the tail follows */
        }
        if (keep(s, bytes, from) != 0
            || (found > 0 && append(s, source, copy.copied, (off_t)found) != 0)
            || keep(s, bytes + from + found, length - from - found) != 0) {
            errno = s->error;
            result = 0;
        }
        copy.copied += (off_t)found;
        struct workbook *w = workbook_of(s->token);
        if (w != NULL) w->not_copied += found;
        s->position = s->size;
    } else {
        /* A sheet's rows: written behind, on the stream's writer thread. */
        if (!s->writer_running) {
            pthread_attr_t attributes;
            pthread_attr_init(&attributes);
            pthread_attr_setstacksize(&attributes, 256 * 1024);
            s->writer_running = pthread_create(&s->writer, &attributes, writer_main, s) == 0;
            pthread_attr_destroy(&attributes);
        }
        while (s->writer_running && s->free_blocks == NULL && s->in_flight >= blocks_per_stream) {
            pthread_cond_wait(&changed, &lock);
        }
        struct block *b = NULL;
        if (s->writer_running && length <= anxin_tmpfile_buffer_bytes) {
            b = s->free_blocks;
            if (b != NULL) {
                s->free_blocks = b->next;
            } else if ((b = malloc(sizeof *b)) != NULL && (b->bytes = malloc(anxin_tmpfile_buffer_bytes)) == NULL) {
                free(b);
                b = NULL;
            }
        }
        if (b == NULL) {
            /* No thread or block to be had, or a write bigger than a block: written here, after
             * the blocks before it. */
            while (s->in_flight > 0) pthread_cond_wait(&changed, &lock);
            off_t at = s->written;
            if (s->error != 0 || write_own(s, bytes, length) != 0 || append(s, NULL, at, (off_t)length) != 0) {
                errno = s->error;
                result = 0;
            }
        } else {
            /* The block is this stream's alone until it is queued (stdio calls one callback of a
             * stream at a time): filled without the lock. */
            pthread_mutex_unlock(&lock);
            memcpy(b->bytes, bytes, length);
            pthread_mutex_lock(&lock);
            b->stream = s;
            b->offset = s->written;
            b->length = length;
            b->next = NULL;
            s->written += (off_t)length;
            if (append(s, NULL, b->offset, (off_t)length) != 0) {
                errno = s->error;
                result = 0;
            }
            s->in_flight += 1;
            if (s->queue_tail != NULL) s->queue_tail->next = b; else s->queue_head = b;
            s->queue_tail = b;
            pthread_cond_broadcast(&changed);
        }
        if (result > 0) s->position = s->size;
    }
    pthread_mutex_unlock(&lock);
    return result;
}

static ssize_t stream_read(void *cookie, char *bytes, size_t length) {
    struct stream *s = cookie;
    pthread_mutex_lock(&lock);
    stop_writer(s);
    if (s->error != 0) {
        errno = s->error;
        pthread_mutex_unlock(&lock);
        return -1;
    }
    if (!s->part && s->position == 0) {
        /* A sheet's rows read from their start: libxlsxwriter is copying them into the sheet's
         * part, which will find them here. */
        copy.source = s;
        copy.target = NULL;
        copy.copied = 0;
    }
    size_t done = 0;
    while (done < length && s->position < s->size) {
        /* The run the position is in (a stream has a few). */
        size_t i = 0;
        off_t start = 0;
        while (start + s->segments[i].length <= s->position) start += s->segments[i++].length;
        struct segment *g = &s->segments[i];
        off_t left = start + g->length - s->position;
        size_t want = (off_t)(length - done) < left ? length - done : (size_t)left;
        int fd = g->source != NULL ? g->source->fd : s->fd;
        ssize_t n = pread(fd, bytes + done, want, g->offset + (s->position - start));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            s->error = n < 0 ? errno : EIO;
            errno = s->error;
            pthread_mutex_unlock(&lock);
            return -1;
        }
        done += (size_t)n;
        s->position += n;
    }
    pthread_mutex_unlock(&lock);
    return (ssize_t)done;
}

static int stream_seek(void *cookie, off64_t *offset, int whence) {
    struct stream *s = cookie;
    pthread_mutex_lock(&lock);
    off_t size = s->size;
    off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s->position : size;
    off_t target = base + *offset;
    int result = 0;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        result = -1;
    } else if (target < 0 || target > size) {
        errno = EINVAL;
        result = -1;
    } else {
        s->position = target;
        *offset = target;
    }
    pthread_mutex_unlock(&lock);
    return result;
}

/* Frees a stream that libxlsxwriter closed and no part reads any more. Call holding the lock. */
static void free_stream(struct stream *s) {
    for (struct stream **link = &streams; *link != NULL; link = &(*link)->next) {
        if (*link == s) {
            *link = s->next;
            break;
        }
    }
    for (size_t i = 0; i < s->count; i++) {
        struct stream *source = s->segments[i].source;
        if (source != NULL && --source->readers == 0 && source->library_closed) free_stream(source);
    }
    while (s->free_blocks != NULL) {
        struct block *b = s->free_blocks;
        s->free_blocks = b->next;
        free(b->bytes);
        free(b);
    }
    fclose(s->real);
    free(s->segments);
    free(s->stdio);
    free(s);
}

static int stream_close(void *cookie) {
    struct stream *s = cookie;
    pthread_mutex_lock(&lock);
    stop_writer(s);
    int error = s->error;
    note_error(s);
    if (copy.source == s) copy.source = NULL; /* its copy is over */
    s->library_closed = 1;
    if (s->readers == 0) free_stream(s);
    pthread_mutex_unlock(&lock);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return 0;
}

/* MARK: libxlsxwriter's temporary files */

FILE *lxw_tmpfile(char *tmpdir) {
    static void *slot;
    lxw_tmpfile_fn real = (lxw_tmpfile_fn)__atomic_load_n(&slot, __ATOMIC_ACQUIRE);
    if (real == NULL) {
        real = (lxw_tmpfile_fn)dlsym(RTLD_NEXT, "lxw_tmpfile");
        if (real == NULL) {
            fprintf(stderr, "anxin: libxlsxwriter's lxw_tmpfile was not found: %s\n", dlerror());
            return NULL;
        }
        __atomic_store_n(&slot, (void *)real, __ATOMIC_RELEASE);
    }
    FILE *file = real(tmpdir);
    if (file == NULL || tmpdir == NULL) return file;
    /* The workbook this directory string belongs to: the latest registered with it (a string
     * freed with its workbook may be reused by the next, which registers it again). */
    unsigned long token = 0;
    int closing = 0;
    pthread_mutex_lock(&lock);
    for (struct workbook *w = workbooks; w != NULL && token == 0; w = w->next) {
        if (w->tmpdir == tmpdir) {
            token = w->token;
            closing = w->closing;
        }
    }
    pthread_mutex_unlock(&lock);
    if (token == 0) return file;
    struct stream *s = calloc(1, sizeof *s);
    char *buffer = malloc(anxin_tmpfile_buffer_bytes);
    FILE *cookie = NULL;
    if (s != NULL && buffer != NULL) {
        s->token = token;
        s->real = file;
        s->fd = fileno(file);
        s->part = closing;
        s->stdio = buffer;
        cookie_io_functions_t functions = {
            .read = stream_read, .write = stream_write, .seek = stream_seek, .close = stream_close};
        cookie = fopencookie(s, "w+", functions);
        if (cookie != NULL) setvbuf(cookie, buffer, _IOFBF, anxin_tmpfile_buffer_bytes);
    }
    if (cookie == NULL) {
        /* Memory is short: the file as libxlsxwriter made it. */
        free(s);
        free(buffer);
        return file;
    }
    s->cookie = cookie;
    pthread_mutex_lock(&lock);
    s->next = streams;
    streams = s;
    pthread_mutex_unlock(&lock);
    return cookie;
}

int anxin_tmpfile_release(unsigned long token) {
    if (token == 0) return 0;
    /* Files libxlsxwriter left open (a sheet never written to keeps its rows' file): no one can
     * reach them now. A part that still reads one keeps it until the part goes. */
    for (;;) {
        FILE *leftover = NULL;
        pthread_mutex_lock(&lock);
        for (struct stream *s = streams; s != NULL && leftover == NULL; s = s->next) {
            if (s->token == token && s->cookie != NULL && !s->library_closed) leftover = s->cookie;
        }
        pthread_mutex_unlock(&lock);
        if (leftover == NULL) break;
        fclose(leftover);
    }
    int error = 0;
    pthread_mutex_lock(&lock);
    for (struct workbook **link = &workbooks; *link != NULL;) {
        struct workbook *w = *link;
        if (w->token == token) {
            *link = w->next;
            if (error == 0) error = w->error;
            free(w);
        } else {
            link = &w->next;
        }
    }
    pthread_mutex_unlock(&lock);
    return error;
}

int anxin_tmpfile_buffers(unsigned long token) {
    int count = 0;
    pthread_mutex_lock(&lock);
    for (struct stream *s = streams; s != NULL; s = s->next) count += s->token == token;
    pthread_mutex_unlock(&lock);
    return count;
}

unsigned long long anxin_tmpfile_bytes_not_copied(unsigned long token) {
    pthread_mutex_lock(&lock);
    struct workbook *w = workbook_of(token);
    unsigned long long bytes = w != NULL ? w->not_copied : 0;
    pthread_mutex_unlock(&lock);
    return bytes;
}
