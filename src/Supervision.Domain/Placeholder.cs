namespace Supervision.Domain; public static class Placeholder {}
