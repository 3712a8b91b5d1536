#ifndef ANXIN_TMPFILE_BUFFER_H
#define ANXIN_TMPFILE_BUFFER_H

/// Bigger buffers for libxlsxwriter's temporary files.
///
/// In constant_memory mode libxlsxwriter writes every row of a sheet to a temporary file, copies
/// that file into another at the close and reads the copy back to compress it: for a city's
/// workbook, half a gigabyte each way through stdio streams with 4 KiB buffers, some 400,000
/// system calls. libxlsxwriter 1.1.4 makes those streams with `lxw_tmpfile`, which it calls
/// through its procedure linkage table; this target defines it, so the dynamic linker binds the
/// library's calls here. Each file is still made by libxlsxwriter's own function and, when its
/// workbook is registered, given a buffer of `anxin_tmpfile_buffer_bytes` before any use. The
/// files' content is the same.

#include <stdio.h>

/// The buffer each temporary file of a registered workbook gets.
enum { anxin_tmpfile_buffer_bytes = 256 * 1024 };

/// Registers the workbook whose temporary-directory string (libxlsxwriter's own copy,
/// `workbook->options.tmpdir`) is `tmpdir`, and returns the token its buffers go under; 0 (no
/// buffers) when `tmpdir` is NULL or memory is short.
unsigned long anxin_tmpfile_register(const char *tmpdir);

/// Frees the buffers of the workbook registered as `token`, and forgets it: call once its files
/// are closed (after a successful `workbook_close`, or once an unclosed workbook's files are
/// closed and it is freed). A close that fails may leave files open: their buffers must stay.
/// libxlsxwriter 1.1.4 leaves open the file of a constant_memory sheet that was never written
/// to; with nothing ever written, its buffer is never read, and it may go.
void anxin_tmpfile_release(unsigned long token);

/// How many buffers the workbook registered as `token` holds.
int anxin_tmpfile_buffers(unsigned long token);

#endif
