#ifndef ANXIN_ZIP_LEVEL_H
#define ANXIN_ZIP_LEVEL_H

/// The deflate level, and the threads, of the zip entries libxlsxwriter writes on this thread.
///
/// libxlsxwriter 1.1.4 compresses every part of a workbook at zlib's default level (6), on the
/// thread that closes it, and has no option to change either. It writes each part through
/// minizip's `zipOpenNewFileInZip4_64`, `zipWriteInFileInZip` and `zipCloseFileInZip`, calls
/// into the shared libminizip; this target defines those three functions, so the dynamic linker
/// binds libxlsxwriter's calls here, and they forward to libminizip's with the level and threads
/// set on the calling thread. The entries, their content and the zip layout stay libxlsxwriter's
/// and minizip's; only the compressed bytes differ.

/// Sets the level (0-9, or -1 for zlib's default) of deflated entries opened on this thread
/// from now on, and returns the previous setting. -1 is the initial setting.
int anxin_zip_set_level(int level);

/// The most threads `anxin_zip_set_threads` takes.
enum { anxin_zip_max_threads = 16 };

/// Sets how many threads deflate the entries opened on this thread from now on, and returns
/// the previous count (1 initially). An entry opened so may be written and closed from any
/// thread. Above 1, an entry's data is cut into blocks of
/// `block_bytes` (at least 1024) that are deflated side by side, each primed with the 32 KiB
/// before it and ended with a sync flush, and written in order as one deflate stream: the
/// entries' content is the same, their compressed bytes depend on the block size and level but
/// not on the count. At 1, minizip deflates as it does.
int anxin_zip_set_threads(int threads, int block_bytes);

/// The block size set on this thread (1 MiB initially).
int anxin_zip_block_bytes(void);

#endif
