public enum RehabFormatPlaceholder {}
