#define _GNU_SOURCE
#include "tmpfile_buffer.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* libxlsxwriter's own lxw_tmpfile, which the definition below hides from the library (it calls
 * it through its procedure linkage table, as it calls minizip). */
typedef FILE *(*lxw_tmpfile_fn)(char *tmpdir);

/* A workbook's temporary-directory string, by the token it was registered under. */
struct workbook {
    const char *tmpdir;
    unsigned long token;
    struct workbook *next;
};

/* A buffer given to one of a workbook's temporary files. */
struct buffer {
    unsigned long token;
    char *bytes;
    struct buffer *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct workbook *workbooks;  /* the latest registration first */
static struct buffer *buffers;
static unsigned long last_token;

unsigned long anxin_tmpfile_register(const char *tmpdir) {
    if (tmpdir == NULL) return 0;
    struct workbook *w = malloc(sizeof *w);
    if (w == NULL) return 0;
    pthread_mutex_lock(&lock);
    w->tmpdir = tmpdir;
    w->token = ++last_token;
    w->next = workbooks;
    workbooks = w;
    pthread_mutex_unlock(&lock);
    return w->token;
}

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
    pthread_mutex_lock(&lock);
    for (struct workbook *w = workbooks; w != NULL && token == 0; w = w->next) {
        if (w->tmpdir == tmpdir) token = w->token;
    }
    pthread_mutex_unlock(&lock);
    if (token == 0) return file;
    struct buffer *b = malloc(sizeof *b);
    char *bytes = malloc(anxin_tmpfile_buffer_bytes);
    if (b == NULL || bytes == NULL || setvbuf(file, bytes, _IOFBF, anxin_tmpfile_buffer_bytes) != 0) {
        free(b);
        free(bytes);
        return file; /* the stream keeps its own small buffer */
    }
    b->token = token;
    b->bytes = bytes;
    pthread_mutex_lock(&lock);
    b->next = buffers;
    buffers = b;
    pthread_mutex_unlock(&lock);
    return file;
}

void anxin_tmpfile_release(unsigned long token) {
    if (token == 0) return;
    pthread_mutex_lock(&lock);
    for (struct buffer **link = &buffers; *link != NULL;) {
        struct buffer *b = *link;
        if (b->token == token) {
            *link = b->next;
            free(b->bytes);
            free(b);
        } else {
            link = &b->next;
        }
    }
    for (struct workbook **link = &workbooks; *link != NULL;) {
        struct workbook *w = *link;
        if (w->token == token) {
            *link = w->next;
            free(w);
        } else {
            link = &w->next;
        }
    }
    pthread_mutex_unlock(&lock);
}

int anxin_tmpfile_buffers(unsigned long token) {
    int count = 0;
    pthread_mutex_lock(&lock);
    for (struct buffer *b = buffers; b != NULL; b = b->next) count += b->token == token;
    pthread_mutex_unlock(&lock);
    return count;
}
