/* 读者的显示偏好：“大字”在页面绘制之前生效，并在各页面之间记住；有脚本时先占好位置。 */
(function () {
  // Parts only scripts make work (the filters, the phase on the reader's day) take their
  // place from the first paint: revealing them later moved the page under the reader.
  var root = document.documentElement;
  root.classList.add("js");
  if ("speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    root.classList.add("speech"); // 朗读 is offered: its buttons are placed from the start
  }
  try {
    if (localStorage.getItem("sb-large-text") === "1") {
      root.classList.add("large-text");
    }
  } catch (e) { /* storage refused (private mode): normal size */ }
})();
