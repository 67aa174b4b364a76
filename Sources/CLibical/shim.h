// The one door to libical. Only RehabCalendar imports this module.
#ifndef REHAB_CLIBICAL_SHIM_H
#define REHAB_CLIBICAL_SHIM_H
#include <libical/ical.h>

/// The message for libical's current error number (icalerrno is a macro Swift cannot read).
static inline const char *rehab_ical_error_message(void) {
    return icalerror_strerror(*icalerrno_return());
}

/// Clears libical's error number before a call whose failure we want to detect.
static inline void rehab_ical_clear_error(void) {
    icalerror_clear_errno();
}

/// A wall-clock time with no zone (a TZID parameter names the zone).
static inline struct icaltimetype rehab_ical_local_time(int y, int mo, int d, int h, int mi) {
    struct icaltimetype t = icaltime_null_time();
    t.year = y; t.month = mo; t.day = d; t.hour = h; t.minute = mi; t.second = 0;
    t.is_date = 0; t.zone = NULL;
    return t;
}

/// A DATE value.
static inline struct icaltimetype rehab_ical_date(int y, int mo, int d) {
    struct icaltimetype t = icaltime_null_time();
    t.year = y; t.month = mo; t.day = d; t.is_date = 1; t.zone = NULL;
    return t;
}

/// An RDATE value holding one date-time.
static inline struct icaldatetimeperiodtype rehab_ical_rdate(struct icaltimetype t) {
    struct icaldatetimeperiodtype v;
    v.time = t;
    v.period = icalperiodtype_null_period();
    return v;
}
#endif
