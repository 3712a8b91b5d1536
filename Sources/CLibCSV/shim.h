#include <csv.h>

#ifdef __linux__
/* sync_file_range(2): the C library declares it only under _GNU_SOURCE, which Swift's view of
 * its headers does not define. Starts writing a file's dirty pages back without waiting. */
int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
enum { anxin_sync_file_range_write = 2 /* SYNC_FILE_RANGE_WRITE */ };
#endif
