#include <qrencode.h>
// zlib gives the PNG writer its deflate and CRC-32; Debian's libqrencode-dev pulls it in
// anyway (and libxlsxwriter links it), so this adds no package.
#include <zlib.h>
