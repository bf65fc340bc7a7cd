# A lifecycle step of tests/good/script-file-below-root.sgl.
echo "setting up"
