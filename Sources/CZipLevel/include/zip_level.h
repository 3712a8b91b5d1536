#ifndef ANXIN_ZIP_LEVEL_H
#define ANXIN_ZIP_LEVEL_H

/// The deflate level of the zip entries libxlsxwriter writes on this thread.
///
/// libxlsxwriter 1.1.4 compresses every part of a workbook at zlib's default level (6) and has
/// no option to change it. It opens each part with minizip's `zipOpenNewFileInZip4_64`, a call
/// into the shared libminizip; this target defines that function, so the dynamic linker binds
/// libxlsxwriter's call here, and it forwards to libminizip's with the level set on the calling
/// thread. Only the compression level differs: the entries, their content and the zip layout
/// are libxlsxwriter's and minizip's.

/// Sets the level (0-9, or -1 for zlib's default) of deflated entries opened on this thread
/// from now on, and returns the previous setting. -1 is the initial setting.
int anxin_zip_set_level(int level);

#endif
