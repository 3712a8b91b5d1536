#ifndef ANXIN_TMPFILE_BUFFER_H
#define ANXIN_TMPFILE_BUFFER_H

/// libxlsxwriter's temporary files, written behind and not copied.
///
/// In constant_memory mode libxlsxwriter writes every row of a sheet to a temporary file; at the
/// close it copies that file into another (the sheet's part, between its XML head and tail) and
/// reads the copy back to compress it: for a city's workbook, half a gigabyte written twice.
/// libxlsxwriter 1.1.4 makes those files with `lxw_tmpfile`, which it calls through its
/// procedure linkage table; this target defines it, so the dynamic linker binds the library's
/// calls here. For a registered workbook, each file libxlsxwriter's own function makes is given
/// to the library behind a stream of this target's (`fopencookie`):
///
/// - A sheet's rows go through a buffer of `anxin_tmpfile_buffer_bytes`, and each full buffer is
///   written by a thread of the file's own (of the priority of the thread that first wrote), so
///   the thread that makes the rows does not wait for the page cache.
/// - A part made during the close (`anxin_tmpfile_closing`) gets the same buffer. While a sheet's
///   rows are being read from their start on the same thread (libxlsxwriter copying them into
///   the sheet's part), the part looks for the rows' first bytes in what it is given; from there
///   on, bytes that are the very next bytes of the rows (compared byte for byte with the rows'
///   file) are not copied: the part notes where they are, and reading the part back reads them
///   from the rows' file. Everything else is kept in the part's own file. What a part reads back
///   is always the bytes written to it.
///
/// A file libxlsxwriter closes stays open while a part reads from it. Reads and closes wait for
/// the writes behind; the first failed write or read is reported by the next write, read or
/// close of that file, and by `anxin_tmpfile_release` (libxlsxwriter ignores some of those
/// reports: a sheet's rows it failed to read would be left out of the file without a word).
/// Files of workbooks not registered are libxlsxwriter's own, untouched.

#include <stdio.h>

/// The buffer each file of a sheet's rows gets, and the size of each block written behind.
enum { anxin_tmpfile_buffer_bytes = 256 * 1024 };

/// Registers the workbook whose temporary-directory string (libxlsxwriter's own copy,
/// `workbook->options.tmpdir`) is `tmpdir`, and returns the token its files go under; 0 (files
/// left as libxlsxwriter makes them) when `tmpdir` is NULL or memory is short.
unsigned long anxin_tmpfile_register(const char *tmpdir);

/// Says the workbook registered as `token` is being closed: the files made from now on are the
/// parts of its package. Call right before `workbook_close`, on the thread that calls it.
void anxin_tmpfile_closing(unsigned long token);

/// Closes what is left of the workbook registered as `token` and forgets it: call once the C
/// workbook is freed (after `workbook_close`, whatever it returned, or after an unclosed
/// workbook's sheets' files are closed and it is freed), when no one can reach its files.
/// Returns an error (an errno) one of its files met, the one closed first, or 0 when none met
/// one: a workbook closed without error by libxlsxwriter is whole only if this is 0.
int anxin_tmpfile_release(unsigned long token);

/// Tests only: every later write to a file of the workbook registered as `token` fails with
/// `error` (0: writes work again), as a full disk would make them.
void anxin_tmpfile_fail_writes(unsigned long token, int error);

/// How many files the workbook registered as `token` holds open.
int anxin_tmpfile_buffers(unsigned long token);

/// Bytes of sheets' rows that the parts of the workbook registered as `token` read from the
/// rows' files instead of copying them (0 once it is released): call after `workbook_close`,
/// before `anxin_tmpfile_release`.
unsigned long long anxin_tmpfile_bytes_not_copied(unsigned long token);

#endif
