// The one door to libical. Only RehabCalendar imports this module.
#ifndef REHAB_CLIBICAL_SHIM_H
#define REHAB_CLIBICAL_SHIM_H
#include <libical/ical.h>
#endif
