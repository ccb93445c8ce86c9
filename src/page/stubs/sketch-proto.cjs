// Stands in for @datadog/sketches-js's protobuf module (`./proto/compiled`, built on protobufjs),
// which it loads only to encode sketches as protobuf (toProto/fromProto): Homeostat never does,
// and bundling it would add protobufjs to the worker for nothing. Any use throws.
'use strict';
function unsupported() {
  throw new Error('homeostat: protobuf encoding of sketches is not bundled');
}
var stub = new Proxy(unsupported, {
  get: function (_target, key) {
    return key === '__esModule' ? false : stub;
  },
});
module.exports = stub;
