"""treaty-timeline: a historical treaty timeline tracker."""
