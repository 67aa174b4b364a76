// libqrencode (Debian's libqrencode-dev), for the handout's QR codes. Imported only by
// RehabPages (QRCode.swift), which exposes a plain module grid.
#include <qrencode.h>
