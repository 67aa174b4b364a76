public enum RehabCalendarPlaceholder {}
