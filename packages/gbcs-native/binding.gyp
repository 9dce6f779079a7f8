{
  "targets": [
    {
      "target_name": "gbcs_native",
      "sources": [
        "native/addon.cc",
        "native/ecdsa-batch.cc",
        "native/gbcs-mac-batch.cc",
        "native/z-progression.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "OPENSSL_API_COMPAT=0x10100000L"],
      "cflags_cc": ["-O2", "-std=c++17", "-Wno-deprecated-declarations"],
      "conditions": [
        ["OS=='linux' and '<!(echo $GBFLEET_ASAN)'=='1'", {
          "cflags_cc": ["-fsanitize=address", "-fno-omit-frame-pointer", "-O1", "-g"],
          "ldflags": ["-fsanitize=address"]
        }]
      ]
    }
  ]
}
